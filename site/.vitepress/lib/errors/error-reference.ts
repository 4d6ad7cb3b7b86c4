import { errorDocsUrl } from '../../../../packages/core/src/errors/docs-url.js';
import { EXPLO_ERROR_CODES } from '../../../../packages/core/src/errors/error-codes.js';
import { MISCONFIG_HINTS } from '../../../../packages/core/src/operations/misconfig-log.js';
import { errorCodesFound } from './error-codes-found.js';
import type { ErrorFace, ErrorText } from './error-text.js';
import { PAGE_ERROR_TEXT } from './page-text.js';
import { routeAnswer } from './route-answer.js';
import { SERVER_ERROR_TEXT } from './server-text.js';
import { TOOL_ERROR_TEXT } from './tool-text.js';

/** One code of the reference, with each place it comes from. */
export interface ErrorEntry {
  code: string;
  /** Server first, then the page, then the CLI and the stand-in. */
  faces: ErrorFace[];
  /** The token route's status line, for the core's codes. */
  route?: string;
  /** The server's log hint, for the codes it logs. */
  logged?: string;
}

const SERVER_PACKAGES = '`@explo-embed/core` and every adapter (Express, Koa, NestJS, Fastify, Fetch)';
const PAGE_PACKAGES = '`@explo-embed/browser` and the React, Vue, Svelte and Angular components';

function checkText(code: string, text: ErrorText): void {
  for (const field of ['title', 'cause', 'sees', 'fix'] as const) {
    if (typeof text[field] !== 'string' || text[field].trim() === '') {
      throw new Error(`The error reference has no ${field} for ${code}: write it in site/.vitepress/lib/errors/.`);
    }
  }
}

/**
 * Every code of every package, from the code's own tables (the core's `EXPLO_ERROR_CODES` with its
 * statuses and log hints, the browser's `RefreshErrorCode`) and from every `ERR_EXPLO_` name in the
 * packages' sources and READMEs. Throws when a code has no cause, symptom or fix, or when an entry
 * explains a code that no package has any more: the site does not build until the reference is whole.
 */
export function errorEntries(): ErrorEntry[] {
  const entries = new Map<string, ErrorEntry>();
  const add = (code: string, face: ErrorFace) => {
    checkText(code, face.text);
    const entry = entries.get(code) ?? { code, faces: [] };
    entry.faces.push(face);
    entries.set(code, entry);
  };
  const serverText: Readonly<Record<string, ErrorText & { route?: string }>> = SERVER_ERROR_TEXT;
  for (const code of Object.values(EXPLO_ERROR_CODES)) {
    const text = serverText[code];
    if (text === undefined) throw new Error(`The error reference has no entry for ${code}: add it to server-text.ts.`);
    add(code, { where: 'Server', packages: SERVER_PACKAGES, text });
    const entry = entries.get(code) as ErrorEntry;
    entry.route = text.route ?? routeAnswer(code);
    const hint = MISCONFIG_HINTS[code];
    if (hint !== undefined) entry.logged = hint;
  }
  for (const [code, text] of Object.entries(PAGE_ERROR_TEXT)) add(code, { where: 'Page', packages: PAGE_PACKAGES, text });
  for (const [code, face] of Object.entries(TOOL_ERROR_TEXT)) add(code, face);

  const found = errorCodesFound();
  const missing = [...found.keys()].filter((code) => !entries.has(code));
  if (missing.length > 0) {
    const where = missing.map((code) => `${code} (in ${[...(found.get(code) ?? [])].join(', ')})`);
    throw new Error(`The error reference does not explain ${where.join(', ')}: add each to site/.vitepress/lib/errors/.`);
  }
  const stale = [...entries.keys()].filter((code) => !found.has(code));
  if (stale.length > 0) throw new Error(`The error reference explains codes no package has: ${stale.join(', ')}.`);
  return [...entries.values()];
}

const GROUPS = [
  { heading: 'On the server', where: ['Server'] },
  { heading: 'In the page', where: ['Page', 'Page (component options)'] },
  { heading: 'The CLI and the stand-in', where: ['CLI', 'Stand-in'] },
] as const;

function renderFace(face: ErrorFace, several: boolean): string {
  const { cause, sees, fix } = face.text;
  const lead = several ? `#### ${face.where}\n\n${face.text.title}. From ${face.packages}.\n\n` : '';
  return `${lead}**Cause.** ${cause}\n\n**What you see.** ${sees}\n\n**Fix.** ${fix}\n`;
}

function renderEntry(entry: ErrorEntry): string {
  const [first] = entry.faces as [ErrorFace, ...ErrorFace[]];
  const several = entry.faces.length > 1;
  const parts = [`### \`${entry.code}\` {#${entry.code}}`, ''];
  parts.push(
    several ? `${first.text.title}. Raised in ${entry.faces.length} places.` : `${first.text.title}. From ${first.packages}.`,
    '',
  );
  if (entry.route) parts.push(entry.route, '');
  if (entry.logged) {
    parts.push(
      `Logged by the server once a minute, never with a secret: \`[explo-embed] ${entry.code} (<phase>): <message> ${entry.logged} See ${errorDocsUrl(entry.code)}\``,
      '',
    );
  }
  parts.push(...entry.faces.map((face) => renderFace(face, several)));
  return parts.join('\n');
}

/** The error reference's markdown: an index table of every code, then an entry per code, by where it comes from. */
export function renderErrorReference(): string {
  const entries = errorEntries();
  const grouped = GROUPS.map((group) => ({
    ...group,
    entries: entries.filter((entry) => (group.where as readonly string[]).includes((entry.faces[0] as ErrorFace).where)),
  }));
  const index = [
    '| code | where | what happened |',
    '| --- | --- | --- |',
    ...grouped.flatMap((group) =>
      group.entries.map(
        (entry) =>
          `| [\`${entry.code}\`](#${entry.code}) | ${entry.faces.map((face) => face.where).join(', ')} | ${(entry.faces[0] as ErrorFace).text.title} |`,
      ),
    ),
  ];
  // A code raised in several places stands in the group of its first; the others name it at their top.
  const alsoHere = (group: (typeof grouped)[number]) => {
    const also = entries.filter(
      (entry) =>
        !group.entries.includes(entry) && entry.faces.some((face) => (group.where as readonly string[]).includes(face.where)),
    );
    return also.length === 0
      ? []
      : [`Also raised here, explained above: ${also.map((entry) => `[\`${entry.code}\`](#${entry.code})`).join(', ')}.`, ''];
  };
  const sections = grouped.map((group) =>
    [`## ${group.heading}`, '', ...alsoHere(group), ...group.entries.map(renderEntry)].join('\n'),
  );
  return [index.join('\n'), ...sections].join('\n\n');
}
