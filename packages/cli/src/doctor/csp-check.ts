import { exploCspSources } from '@explo-embed/core';
import { requiredCspText } from '../origin-check.js';
import { quoteHostile } from '../terminal-safe.js';
import {
  type CspPolicy,
  type CspTarget,
  FALLBACKS,
  type FetchKind,
  governing,
  parsePolicies,
  sourceListAllows,
} from './csp-policy.js';
import { type Finding, fail, pass, warn } from './finding.js';
import type { PageScan } from './page-scan.js';

/** The page's policies and what it embeds. */
export interface CspInput {
  page: URL;
  /** The `Content-Security-Policy` header(s), as fetch joins them; null when absent. */
  header: string | null;
  scan: PageScan;
}

interface LabelledPolicy {
  where: string;
  policy: CspPolicy;
}

const BUNDLE_ORIGIN = exploCspSources()['script-src'][0] as string;

/**
 * Whether the page's Content-Security-Policy (header and `<meta>`; every policy must allow a fetch)
 * lets Explo in: `frame-src` for its iframe, `script-src` for the web component's bundle, and
 * `connect-src` for its hosts (needed by the web component, which runs in the page; an iframe
 * makes its own requests, so there it is only a warning).
 */
export function judgeCsp({ page, header, scan }: CspInput): Finding[] {
  const policies: LabelledPolicy[] = [
    ...(header === null ? [] : parsePolicies(header).map((policy) => ({ where: 'the Content-Security-Policy header', policy }))),
    ...scan.metaCsp.flatMap((content) => parsePolicies(content).map((policy) => ({ where: 'the <meta> policy', policy }))),
  ];
  const sandbox = judgeSandbox(policies);
  if (policies.length === 0) {
    return [pass('csp', "no Content-Security-Policy (header or <meta>): nothing blocks Explo's frame or script.")];
  }
  const component = scan.embeds[0]?.kind.startsWith('explo-') === true;
  const frame = scan.embeds[0]?.url;
  const bundle = scan.scripts.find((script) => script.url.origin === BUNDLE_ORIGIN);
  const app = exploCspSources()['frame-src'][0];
  // Explo's iframe is matched with its real path (a source may name one); other fetches at '/'.
  const framePath = frame !== undefined && frame.origin === app ? frame.pathname : '/';
  const findings = [judgeKind('frame-src', policies, page, { severity: 'fail', path: framePath })];
  if (component) {
    const script = { severity: 'fail', path: bundle?.url.pathname ?? '/bundle.js', nonce: bundle?.nonce } as const;
    findings.push(judgeKind('script-src', policies, page, script));
  }
  findings.push(judgeKind('connect-src', policies, page, { severity: component ? 'fail' : 'warn', path: '/' }));
  if (sandbox) findings.push(sandbox);
  return findings;
}

/** What Explo's app needs of a sandbox it runs in: its scripts, and its own origin (storage, cookies, its API calls). */
export const EXPLO_SANDBOX_NEEDS = ['allow-scripts', 'allow-same-origin'] as const;

/**
 * A `sandbox` directive in a header policy (browsers ignore it in `<meta>`) sandboxes the page,
 * and every frame in it inherits those flags: without `allow-scripts` Explo's app does not run,
 * without `allow-same-origin` it runs with an opaque origin (no storage or cookies, requests
 * from origin "null").
 */
function judgeSandbox(policies: LabelledPolicy[]): Finding | undefined {
  const sandboxed = policies.filter(({ where, policy }) => where.includes('header') && policy.has('sandbox'));
  if (sandboxed.length === 0) return undefined;
  for (const { policy } of sandboxed) {
    const flags = (policy.get('sandbox') ?? []).map((flag) => flag.toLowerCase());
    const missing = EXPLO_SANDBOX_NEEDS.filter((need) => !flags.includes(need));
    if (missing.length > 0) {
      return fail(
        'csp-sandbox',
        `the Content-Security-Policy header's sandbox (${quoteHostile(flags.join(' '), 120)}) lacks ${missing.join(' and ')}: the page and Explo's frame inside it are sandboxed so, and the dashboard stays blank.`,
        `drop the sandbox directive from the page's policy, or add ${missing.join(' ')} to it.`,
      );
    }
  }
  return pass('csp-sandbox', "the Content-Security-Policy header's sandbox allows scripts and the same origin.");
}

/** How one kind of fetch is probed, and how bad it is when blocked. */
interface Probe {
  severity: 'fail' | 'warn';
  path: string;
  nonce?: string | undefined;
}

function judgeKind(kind: FetchKind, policies: LabelledPolicy[], page: URL, { severity, path, nonce }: Probe): Finding {
  const needed = exploCspSources()[kind];
  for (const { where, policy } of policies) {
    const rule = governing(policy, kind);
    if (!rule) continue;
    const missing = needed.filter(
      (source) => !sourceListAllows(rule.sources, target(source, path, nonce), page, kind === 'script-src'),
    );
    if (missing.length === 0) continue;
    const message = `${where}'s ${rule.directive} (${quoteHostile(rule.sources.join(' '), 120)}) blocks ${missing.join(' ')}.`;
    const strict = kind === 'script-src' && rule.sources.some((s) => s.toLowerCase() === "'strict-dynamic'");
    const fix = strict
      ? `its 'strict-dynamic' ignores hosts: give <script src="${BUNDLE_ORIGIN}/bundle.js"> this response's nonce.`
      : `add ${missing.join(' ')} to ${addTo(kind, rule.directive)}. The page's CSP must allow: ${requiredCspText()}`;
    return severity === 'fail'
      ? fail(kind, message, fix)
      : warn(kind, `${message} Explo's iframe makes its own requests, but Explo asks pages to allow these.`, fix);
  }
  return pass(kind, `allows ${needed.join(' ')}.`);
}

// A fallback (default-src, child-src) is overridden by adding the directive itself; a more
// specific one that governs (script-src-elem) is the one to change.
function addTo(kind: FetchKind, governs: string): string {
  const order: readonly string[] = FALLBACKS[kind];
  return order.indexOf(governs) > order.indexOf(kind)
    ? `a ${kind} directive (now ${governs} applies: start from its sources)`
    : governs;
}

// Explo's sources are https origins; a wildcard host stays a pattern (CSP matches it as one).
function target(source: string, path: string, nonce: string | undefined): CspTarget {
  return { scheme: 'https', host: source.replace(/^https:\/\//, ''), port: '', path, nonce };
}
