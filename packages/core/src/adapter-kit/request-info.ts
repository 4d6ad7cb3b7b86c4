/**
 * A request's headers as frameworks hand them over: Node's object (`req.headers`, lower-case names,
 * repeated headers as lists) or a Fetch `Headers`.
 */
export type ExploHeaders = { get(name: string): string | null } | Readonly<Record<string, string | string[] | undefined>>;

/** One header's value (the first, when Node gives a list); `undefined` when absent. `name` is lower-case. */
export function headerValue(headers: ExploHeaders, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const value = (headers as Readonly<Record<string, string | string[] | undefined>>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Splits a request URL (path plus query) into path and raw query. */
export function splitUrl(url: string): { path: string; query: string } {
  const index = url.indexOf('?');
  return index === -1 ? { path: url, query: '' } : { path: url.slice(0, index), query: url.slice(index + 1) };
}
