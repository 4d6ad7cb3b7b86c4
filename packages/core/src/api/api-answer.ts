import { ExploApiResponseError, ExploApiUnavailableError, ExploEmbedError } from '../errors/errors.js';
import { quoteUntrusted } from '../errors/untrusted.js';
import { parseCompact } from '../jwe/compact-jwe.js';

/** The most of Explo's answer that is read: a token is about 1 KiB. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Reads `{ "success": 1, "jwt": "..." }` from Explo's answer, streaming it with a size cap, and
 * checks that `jwt` is a compact JWE as Explo issues them (`dir`, `A256GCM`, base64url segments).
 * Anything else is `ERR_EXPLO_API_BAD_RESPONSE`, with the upstream's text quoted and bounded.
 */
export async function readApiAnswer(response: Response, abort: () => void, apiToken: string): Promise<string> {
  let text: string;
  try {
    // A proxy or an error page may echo the request's headers: the API token is never repeated.
    text = (await readCapped(response, abort)).split(apiToken).join('[the API token]');
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
  const { success, jwt } = (typeof data === 'object' && data !== null ? data : {}) as { success?: unknown; jwt?: unknown };
  if (success !== 1) throw new ExploApiResponseError(`Explo's API answered success=${quoteUntrusted(success ?? null)}, not 1.`);
  if (typeof jwt !== 'string') throw new ExploApiResponseError("Explo's API answered success=1 without a jwt.");
  try {
    parseCompact(jwt);
  } catch (error) {
    const reason = error instanceof ExploEmbedError ? error.message : 'it cannot be read';
    throw new ExploApiResponseError(`Explo's API answered a jwt that is not an Explo token: ${reason}`);
  }
  return jwt;
}

// Past the cap the exchange is aborted (the connection closed), not drained: the rest is never read.
async function readCapped(response: Response, abort: () => void): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_ANSWER_BYTES) {
    abort();
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      size += next.value.byteLength;
      if (size > MAX_ANSWER_BYTES) {
        abort();
        throw tooLarge();
      }
      chunks.push(next.value);
    }
  } finally {
    reader.releaseLock();
  }
  const decoder = new TextDecoder();
  return chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join('') + decoder.decode();
}

const tooLarge = () =>
  new ExploApiResponseError(`Explo's API answered more than ${MAX_ANSWER_BYTES / 1024} KiB; a token is about 1 KiB.`);
