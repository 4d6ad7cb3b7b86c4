import { type ExploAdapter, splitUrl } from '@explo-embed/core/adapter';
import type { AbstractHttpAdapter } from '@nestjs/core';

type Request = { headers: Record<string, string | string[] | undefined> };

/** The framework-neutral facts of a request, read through Nest's own HTTP adapter (Express or Fastify). */
export function requestInfo(
  http: AbstractHttpAdapter,
  request: Request,
): { method: string; query: string; origin: string | undefined; site: string | undefined } {
  const { query } = splitUrl(String(http.getRequestUrl(request) ?? ''));
  const { origin, 'sec-fetch-site': site } = request.headers;
  return {
    method: String(http.getRequestMethod(request)),
    query,
    origin: typeof origin === 'string' ? origin : undefined,
    site: typeof site === 'string' ? site : undefined,
  };
}

/** Writes a core response through Nest's HTTP adapter, so both platforms answer byte for byte alike. */
export async function writeTokenResponse(
  http: AbstractHttpAdapter,
  adapter: ExploAdapter<unknown>,
  request: Request,
  response: unknown,
): Promise<void> {
  const { status, headers, body } = await adapter.respond(request, requestInfo(http, request));
  for (const [name, value] of Object.entries(headers)) http.setHeader(response, name, value);
  http.reply(response, body, status);
}
