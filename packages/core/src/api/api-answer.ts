import { ExploApiResponseError, ExploApiUnavailableError, ExploEmbedError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';
import { parseCompact } from '../jwe/compact-jwe.js';

/** The most of Explo's answer that is read: a token is about 1 KiB. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Reads `{ "success": 1, "jwt": "..." }` from Explo's answer (see {@link readApiJson}), and checks
 * that `jwt` is a compact JWE as Explo issues them (`dir`, `A256GCM`, base64url segments). Anything
 * else is `ERR_EXPLO_API_BAD_RESPONSE`, with the upstream's text quoted and bounded.
 */
export async function readApiAnswer(response: Response, abort: () => void, apiToken: string): Promise<string> {
  const { jwt } = await readApiJson(response, abort, apiToken);
  if (typeof jwt !== 'string') throw new ExploApiResponseError("Explo's API answered success=1 without a jwt.");
  try {
    parseCompact(jwt);
  } catch (error) {
    const reason = error instanceof ExploEmbedError ? error.message : 'it cannot be read';
    throw new ExploApiResponseError(`Explo's API answered a jwt that is not an Explo token: ${reason}`);
  }
  return jwt;
}

/**
 * Reads a JSON object with `"success": 1` from Explo's answer, streaming it with a size cap, with the
 * API token redacted from whatever came back. Anything else is `ERR_EXPLO_API_BAD_RESPONSE`.
 */
export async function readApiJson(
  response: Response,
  abort: () => void,
  apiToken: string,
  maxBytes = MAX_ANSWER_BYTES,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    // A proxy or an error page may echo the request's headers: the API token is never repeated.
    text = (await readCapped(response, abort, maxBytes)).split(apiToken).join('[the API token]');
  } catch (error) {
    if (error instanceof ExploEmbedError) throw error;
    throw new ExploApiUnavailableError("Explo's API answer broke off before it was complete.", 1, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ExploApiResponseError(`Explo's API answered with something that is not JSON: ${quoteUntrusted(text, 40)}.`);
  }
  const object = (typeof data === 'object' && data !== null && !Array.isArray(data) ? data : {}) as Record<string, unknown>;
  if (object.success !== 1) {
    throw new ExploApiResponseError(`Explo's API answered success=${quoteUntrusted(object.success ?? null)}, not 1.`);
  }
  return object;
}

// Past the cap the exchange is aborted (the connection closed), not drained: the rest is never read.
async function readCapped(response: Response, abort: () => void, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    abort();
    throw tooLarge(maxBytes);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      size += next.value.byteLength;
      if (size > maxBytes) {
        abort();
        throw tooLarge(maxBytes);
      }
      chunks.push(next.value);
    }
  } finally {
    reader.releaseLock();
  }
  const decoder = new TextDecoder();
  return chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join('') + decoder.decode();
}

const tooLarge = (maxBytes: number) =>
  new ExploApiResponseError(
    `Explo's API answered more than ${maxBytes / 1024} KiB${maxBytes === MAX_ANSWER_BYTES ? '; a token is about 1 KiB' : ''}.`,
  );
