import { exploCspSources } from '@explo-embed/core';
import { quoteHostile } from '../terminal-safe.js';
import { type BoundedResponse, status } from './bounded-fetch.js';
import { type Finding, fail, pass, warn } from './finding.js';
import { EXPLO_APP_ORIGIN, type PageScan } from './page-scan.js';

const BUNDLE = `${exploCspSources()['script-src'][0]}/bundle.js`;

/** The page's answer: 200 with HTML, signed in. A redirect is reported, never followed. */
export function judgePage(answer: BoundedResponse, signedIn: boolean): Finding {
  const type = answer.headers.get('content-type');
  if (answer.status === 200) {
    const size = `${Math.ceil(answer.bytes / 1024)} KiB`;
    if (answer.truncated) {
      return warn(
        'page',
        `HTTP 200, larger than ${size}: only its first ${size} were read.`,
        'put the embed near the top of the page.',
      );
    }
    if (type === null || !/^text\/html\b/i.test(type)) {
      return warn(
        'page',
        `HTTP 200, ${size} of ${quoteHostile(type)}, not text/html.`,
        'run doctor on the page that shows the dashboard.',
      );
    }
    return pass('page', `HTTP 200, ${size} of ${quoteHostile(type, 60)}.`);
  }
  const session = signedIn
    ? 'is --cookie the Cookie header of a signed-in session?'
    : 'pass --cookie with the Cookie header of a signed-in session.';
  if ((answer.status >= 300 && answer.status < 400) || answer.status === 401 || answer.status === 403) {
    return fail('page', `the page answered ${status(answer)}.`, `${session} Or run doctor on the page that shows the dashboard.`);
  }
  return fail('page', `the page answered ${status(answer)}.`, 'run doctor on the page that shows the dashboard.');
}

/**
 * The embed on the page: an Explo iframe (dashboard or report builder) or web component, with a
 * token; for a web component, its `environment` and Explo's bundle script. Shows the token's
 * first characters only: a token is a bearer credential.
 */
export function judgeEmbed(scan: PageScan, signedIn: boolean): Finding[] {
  const [embed] = scan.embeds;
  if (!embed) {
    const odd = scan.oddIframes[0];
    return [
      fail(
        'embed',
        `no Explo embed in the page's HTML${odd === undefined ? '' : `; an iframe from ${EXPLO_APP_ORIGIN} has the URL ${quoteHostile(odd, 120)}`}.`,
        `${signedIn ? '' : 'this page was read signed out: pass --cookie with the Cookie header of a signed-in session. Else '}render the token into the page: <iframe src="${EXPLO_APP_ORIGIN}/iframe/<token>/<environment>"> or <explo-dashboard dash-jwt="<token>" environment="...">. A page that builds its embed in the browser cannot be seen here; its token route is checked below.`,
      ),
    ];
  }
  const more = scan.embeds.length > 1 ? ` (${scan.embeds.length} embeds; the first is checked)` : '';
  const what = `${embed.kind} with token ${quoteHostile(embed.jwt, 12)}, environment ${quoteHostile(embed.environment, 40)}${more}`;
  const findings: Finding[] = [];
  if (embed.url !== undefined && embed.url.origin !== EXPLO_APP_ORIGIN) {
    findings.push(
      warn(
        'embed',
        `${what}, from ${quoteHostile(embed.url.origin, 100)}, not Explo's ${EXPLO_APP_ORIGIN} (a stand-in?).`,
        `embed from ${EXPLO_APP_ORIGIN} in production.`,
      ),
    );
  } else {
    findings.push(pass('embed', `${what}.`));
  }
  if (embed.url === undefined) {
    if (embed.environment === undefined) {
      findings.push(
        warn(
          'environment',
          `<${embed.kind}> has no environment attribute: Explo then serves the last saved version.`,
          'add environment="production" (or the environment you publish to).',
        ),
      );
    }
    if (!scan.scripts.some((script) => script.url.href === BUNDLE)) {
      findings.push(
        warn(
          'bundle',
          `no <script src="${BUNDLE}"> in the page: unless the app loads it, <${embed.kind}> stays empty.`,
          `add <script src="${BUNDLE}"></script>.`,
        ),
      );
    }
  }
  return findings;
}
