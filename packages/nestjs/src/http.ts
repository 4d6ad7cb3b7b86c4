import type { ExploAdapter, ExploRequestInfo } from '@explo-embed/core/adapter';
import type { AbstractHttpAdapter } from '@nestjs/core';

/** A request on either platform, as Node hands it over (Express's `req`, Fastify's `request.raw` or `request`). */
export interface NodeishRequest {
  method?: string;
  url?: string;
  /** Express's path before its routers took their part (a mounted app); the attach step compares the whole path. */
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The request as the kit reads it, from the platform's own request object. */
export function requestInfo({ method = 'GET', url = '/', originalUrl, headers }: NodeishRequest): ExploRequestInfo {
  return { method, url: originalUrl ?? url, headers };
}

/** Writes a core response through Nest's HTTP adapter, so both platforms answer byte for byte alike. */
export async function writeTokenResponse(
  http: AbstractHttpAdapter,
  adapter: ExploAdapter<unknown>,
  request: NodeishRequest,
  response: unknown,
): Promise<void> {
  const { status, headers, body } = await adapter.respond(request, requestInfo(request));
  for (const [name, value] of Object.entries(headers)) http.setHeader(response, name, value);
  http.reply(response, body, status);
}
