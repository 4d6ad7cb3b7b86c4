const LIMIT = 4096;

/** A small form or JSON body: its fields, `413` when over 4 KB, `400` when it does not parse. */
export async function readLoginBody(request: Request): Promise<Record<string, unknown> | 400 | 413> {
  if (Number(request.headers.get('content-length') ?? 0) > LIMIT) return 413;
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
    size += read.value.byteLength;
    if (size > LIMIT) {
      await reader?.cancel();
      return 413;
    }
    chunks.push(read.value);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (request.headers.get('content-type')?.startsWith('application/json')) {
    try {
      const body: unknown = JSON.parse(text);
      return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    } catch {
      return 400;
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}
