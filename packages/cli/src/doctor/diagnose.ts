import { type ExploSecret, toExploOrigin } from '@explo-embed/core';
import { originFindings } from '../origin-check.js';
import type { NamedEmbedId } from '../resource-check.js';
import { type FetchLimits, fetchBounded } from './bounded-fetch.js';
import { judgeCacheControl } from './cache-control.js';
import { judgeCsp } from './csp-check.js';
import { type Finding, fail, note, pass, warn } from './finding.js';
import type { OpenedToken } from './open-token.js';
import { judgeEmbed, judgePage } from './page-check.js';
import { scanPage } from './page-scan.js';
import { judgeResources } from './resource-findings.js';
import { checkRoute } from './route-check.js';
import { judgeClock } from './server-clock.js';
import { judgeToken, type TokenContext } from './token-check.js';

/** Everything `doctor` was given, checked. */
export interface DoctorInput {
  page: URL;
  /** The token route, resolved against the page (same origin). */
  route: URL;
  cookie: string | undefined;
  keys: readonly ExploSecret[];
  dashboards: Readonly<Record<string, string>> | undefined;
  timeoutMs: number;
  now: () => number;
  /** With `--api-token`: the embed ids named are confirmed in Explo (`env` for `EXPLO_API_URL`). */
  resources?: { token: string; env: NodeJS.ProcessEnv } | undefined;
}

const PAGE_BYTES = 2 * 1024 * 1024;
const ROUTE_BYTES = 64 * 1024;

/**
 * The checklist for one page, in the order a blank embed is best explained: the page and its
 * embed, the token, the CSP, caching, the server's clock, the token route, the embed ids in Explo
 * (with `--api-token`), Explo's allowlist.
 */
export async function diagnose(input: DoctorInput): Promise<Finding[]> {
  const { page, cookie, now } = input;
  const expectedIss = toExploOrigin(page.origin);
  const context: TokenContext = { keys: input.keys, dashboards: input.dashboards, expectedIss, now: now() };
  const origin = originFindings(expectedIss);
  const findings: Finding[] = origin
    .filter((f) => f.topic === 'https')
    .map((f) => warn('https', f.text, 'serve the page over https.'));

  const headers: Record<string, string> = { accept: 'text/html', 'user-agent': 'explo-embed-doctor' };
  if (cookie !== undefined) headers.cookie = cookie;
  const fetched = await fetchBounded(page, headers, { timeoutMs: input.timeoutMs, maxBytes: PAGE_BYTES, now });
  if (!fetched.ok) {
    findings.push(
      fail('page', `could not read the page: ${fetched.reason}.`, 'check the URL, and that its server answers this machine.'),
    );
    return findings;
  }
  const answer = fetched.response;
  let found: { jwt: string; opened: OpenedToken } | undefined;
  const scan = answer.status === 200 ? scanPage(answer.body, page) : undefined;
  findings.push(judgePage(answer, cookie !== undefined, scan?.capped));
  if (scan !== undefined) {
    findings.push(...judgeEmbed(scan, cookie !== undefined));
    const embed = scan.embeds[0];
    if (embed) {
      const judged = await judgeToken(embed.jwt, "the page's token", context);
      findings.push(...judged.findings);
      found = { jwt: embed.jwt, opened: judged.opened };
    }
    findings.push(...judgeCsp({ page, header: answer.headers.get('content-security-policy'), scan }));
    findings.push(judgeCacheControl('cache', 'the page', answer.headers, answer.receivedAt));
  }
  findings.push(judgeClock(answer.headers.get('date'), answer.receivedAt));

  const limits: FetchLimits = { timeoutMs: input.timeoutMs, maxBytes: ROUTE_BYTES, now };
  const route = await checkRoute({ url: routeUrl(input, found?.opened), cookie, keys: input.keys, limits, page: found });
  findings.push(...route.findings);
  let routeOpened: OpenedToken | undefined;
  if (found === undefined && route.jwt !== undefined) {
    // No token in the HTML (a page that fetches it in the browser): judge the route's instead.
    const judged = await judgeToken(route.jwt, "the token route's token", context);
    findings.push(...judged.findings);
    routeOpened = judged.opened;
  }
  if (input.resources !== undefined) {
    const named: NamedEmbedId[] = [];
    for (const [opened, where] of [
      [found?.opened, "the page's token"],
      [routeOpened, "the token route's token"],
    ] as const) {
      if (opened?.status === 'open') named.push({ embedId: opened.claims.dsh, where });
    }
    for (const [name, embedId] of Object.entries(input.dashboards ?? {}))
      named.push({ embedId, where: `EXPLO_DASHBOARDS "${name}"` });
    findings.push(await judgeResources(input.resources.token, input.resources.env, named));
  }
  for (const { level, text } of origin.filter((f) => f.topic === 'allowlist')) {
    findings.push(level === 'ok' ? pass('allowlist', text) : note('allowlist', `${text} Doctor cannot see that list.`));
  }
  return findings;
}

/** The token route with `fresh=1`, and the page's dashboard by its name in EXPLO_DASHBOARDS when it has one. */
function routeUrl({ route, dashboards }: DoctorInput, opened: OpenedToken | undefined): URL {
  const url = new URL(route);
  url.searchParams.set('fresh', '1');
  if (opened?.status === 'open' && dashboards !== undefined) {
    const name = Object.keys(dashboards).find((key) => dashboards[key] === opened.claims.dsh);
    if (name !== undefined) url.searchParams.set('dashboard', name);
  }
  return url;
}
