import { exploCspSources } from '@explo-embed/core';
import { quoteHostile } from '../terminal-safe.js';
import { type BoundedResponse, status } from './bounded-fetch.js';
import { EXPLO_SANDBOX_NEEDS } from './csp-check.js';
import { type Finding, fail, pass, warn } from './finding.js';
import { EXPLO_APP_ORIGIN, type FoundEmbed, MAX_NODES, type PageScan } from './page-scan.js';

const BUNDLE = `${exploCspSources()['script-src'][0]}/bundle.js`;

/**
 * The page's answer: 200 with HTML, signed in. A redirect is reported, never followed. `capped`:
 * the HTML holds more elements than doctor reads (`MAX_NODES`).
 */
export function judgePage(answer: BoundedResponse, signedIn: boolean, capped = false): Finding {
  const type = answer.headers.get('content-type');
  if (answer.status === 200) {
    const size = `${Math.ceil(answer.bytes / 1024)} KiB`;
    if (answer.truncated || capped) {
      const nodes = MAX_NODES.toLocaleString('en-US');
      const read = answer.truncated
        ? `larger than ${size}: only its first ${size} were read${capped ? `, and of those only the first ${nodes} elements` : ''}`
        : `${size} with more than ${nodes} elements: only the first ${nodes} were read`;
      return warn('page', `HTTP 200, ${read}.`, 'put the embed near the top of the page.');
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
    if (odd?.noEnvironment) {
      return [
        fail(
          'embed',
          `no Explo embed in the page's HTML: an iframe from ${EXPLO_APP_ORIGIN} has the URL ${quoteHostile(odd.url, 120)}, with no environment segment.`,
          `Explo's iframe URL is ${EXPLO_APP_ORIGIN}/iframe/<token>/<environment> (or /report-builder/iframe/<token>/<environment>): add the environment, e.g. /production.`,
        ),
      ];
    }
    return [
      fail(
        'embed',
        `no Explo embed in the page's HTML${odd === undefined ? '' : `; an iframe from ${EXPLO_APP_ORIGIN} has the URL ${quoteHostile(odd.url, 120)}`}.`,
        `${signedIn ? '' : 'this page was read signed out: pass --cookie with the Cookie header of a signed-in session. Else '}render the token into the page: <iframe src="${EXPLO_APP_ORIGIN}/iframe/<token>/<environment>"> or <explo-dashboard dash-jwt="<token>" environment="...">. A page that builds its embed in the browser cannot be seen here; its token route is checked below.`,
      ),
    ];
  }
  const more = scan.embeds.length > 1 ? ` (${scan.embeds.length} embeds; the first is checked)` : '';
  const what = `${embed.kind} with token ${quoteHostile(embed.jwt, 12)}, environment ${quoteHostile(embed.environment, 40)}${more}`;
  const findings: Finding[] = [];
  if (embed.srcdoc) {
    findings.push(
      fail(
        'embed',
        `${what}, but the iframe also has a srcdoc attribute: browsers show srcdoc and never load src.`,
        'remove srcdoc from the Explo iframe.',
      ),
    );
  } else if (embed.url !== undefined && embed.url.origin !== EXPLO_APP_ORIGIN) {
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
  if (embed.sandbox !== undefined) findings.push(judgeIframeSandbox(embed.sandbox));
  const odd = oddEnvironment(embed);
  if (odd) findings.push(odd);
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

/** An iframe's sandbox attribute must let Explo's app run its scripts in its own origin. */
function judgeIframeSandbox(value: string): Finding {
  const flags = value.toLowerCase().split(/[\t\n\f\r ]+/);
  const missing = EXPLO_SANDBOX_NEEDS.filter((need) => !flags.includes(need));
  const shown = `the Explo iframe's sandbox ${quoteHostile(value, 100)}`;
  if (missing.length === 0) return pass('sandbox', `${shown} allows scripts and the same origin.`);
  return fail(
    'sandbox',
    `${shown} lacks ${missing.join(' and ')}: Explo's app ${missing.includes('allow-scripts') ? 'does not run' : 'runs without its origin (no storage or cookies)'}, and the dashboard stays blank.`,
    `add ${missing.join(' ')} to the sandbox attribute, or remove the attribute.`,
  );
}

// Control characters, nothing, or a long text: not the name of an environment published in Explo.
function oddEnvironment({ kind, environment }: FoundEmbed): Finding | undefined {
  if (environment === undefined) return undefined;
  const why =
    environment.trim() === ''
      ? 'is empty'
      : environment.length > 100
        ? 'is longer than 100 characters'
        : /[\u0000-\u001f\u007f-\u009f]/.test(environment)
          ? 'holds control characters'
          : undefined;
  if (why === undefined) return undefined;
  return warn(
    'environment',
    `the ${kind}'s environment ${quoteHostile(environment, 40)} ${why}: Explo knows no such environment.`,
    'give the name of the environment you publish to, e.g. production.',
  );
}
