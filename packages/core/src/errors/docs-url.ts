/**
 * Where the documentation site is published. Written here only: the problem+json `type` of each
 * error, the log lines and the site's own build (its base path) all read it.
 */
export const EXPLO_DOCS_URL = 'https://explo-embed.github.io/explo-embed/';

/** The error reference's entry for a code (`.../errors#ERR_EXPLO_SECRET_MISSING`): its cause, what users see, the fix. */
export function errorDocsUrl(code: string): string {
  return `${EXPLO_DOCS_URL}errors#${code}`;
}
