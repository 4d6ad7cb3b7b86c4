import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExploSecret } from '@explo-embed/core';
import { apiStandIn, type StandInResources } from './api-stand-in.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { customerRecords, type StandInCustomer } from './customer-records.js';
import { eventStream, type StandInEditableSectionEvents } from './event-stream.js';
import { type ExploStandInFaults, NO_FAULTS } from './faults.js';
import { bundleScript, iframePage } from './pages.js';
import { type StandInVerdict, verdicts } from './verdicts.js';

/** Options of {@link startExploStandIn}. */
export interface ExploStandInOptions {
  /** The key(s) tokens are checked with: the same secret your app mints with. */
  keys: ExploSecret | readonly ExploSecret[];
  /** Interface to listen on. Default `"127.0.0.1"` (loopback only). */
  host?: string;
  /** Port. Default 0 (any free port). */
  port?: number;
  /** Seconds before expiry at which `customerJwtExpired` is emitted. Default 5. */
  expiryWarning?: number;
  /**
   * Origins of the pages that embed the stand-in: only they may read its token verdicts (which
   * show decrypted claims) from the web component. Default: any page on this machine's loopback
   * (`http://127.0.0.1:*`, `http://localhost:*`, `http://[::1]:*`).
   */
  allowedOrigins?: readonly string[];
  /**
   * Serve a stand-in of Explo's API that accepts this API token (`Explo-Authorization: Token
   * <apiToken>`): `POST /api/generate_jwt/` (minting with the first key), the Customer API
   * (`create_customer`, `update_customer`, `get_customer`) and the Resource API (`GET
   * /api/dashboard/`, `GET /api/reports/`). Default: no API.
   */
  apiToken?: string;
  /** What its Resource API lists: `{ dashboards: { name: embedId }, reportBuilders: { name: embedId } }`. Default: none. */
  resources?: StandInResources;
  /**
   * Tokens work only for customers its Customer API holds, as with Explo: another customer's embed
   * shows `rejected: ERR_EXPLO_CUSTOMER_UNKNOWN` and never loads, and `generate_jwt` answers 400.
   * Default false (any customer).
   */
  requireCustomers?: boolean;
}

const LOOPBACK_ORIGIN = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/** A running stand-in. */
export interface ExploStandIn {
  /** Base URL, e.g. `http://127.0.0.1:41234`: use it where you would use `https://app.explo.co`. */
  readonly url: string;
  /** Its origin (give it to `keepExploJwtFresh({ exploOrigin })`). */
  readonly origin: string;
  /** `<script src>` of the web component bundle (instead of `https://embed.explo.co/bundle.js`). */
  readonly bundleUrl: string;
  /** The iframe URL for a token, in Explo's shape. */
  iframeUrl(jwt: string, environment?: string, reportBuilder?: boolean): string;
  /** What the stand-in makes of a token: `{ ok, claims, expiresIn, kid }` or `{ ok: false, code }`. */
  verify(jwt: string): Promise<StandInVerdict>;
  /** Changes some faults (the others keep their values); `setFaults()` with nothing clears them all. */
  setFaults(faults?: Partial<ExploStandInFaults>): void;
  /** Every embed showing a valid token announces `customerJwtExpired` now, as Explo does shortly before expiry. */
  expireNow(): void;
  /**
   * Sets the dashboard's height in pixels, in every embed (open now or later); `setHeight()` sets it
   * back to the stand-in's own content height. A loaded embed whose height changes emits
   * `dashboardUpdated` `{ dashboardId, dashboardHeight }`; one that loads later reports it in
   * `dashboardLoaded`. Throws `TypeError` for anything but a finite number >= 0.
   */
  setHeight(px?: number): void;
  /** The customers its Customer API holds, as Explo's API answers with them, in the order they were created. */
  customers(): StandInCustomer[];
  /**
   * Every embed showing a valid token emits Explo's `analyticsEventFired` with `detail`, as Explo
   * does for each analytics event (`{ name, user_id?, properties?, custom_properties? }`).
   */
  emitAnalytics(detail: { name: string } & Record<string, unknown>): void;
  /**
   * Every embed showing a valid token emits one of Explo's editable-section events with `detail`,
   * as Explo does when a user edits the section: `editableSectionUpdated` `{ charts,
   * availableChartTemplates }`, `editableSectionChartAdded`, `editableSectionChartRemoved`.
   */
  emitEditableSection<E extends keyof StandInEditableSectionEvents>(event: E, detail: StandInEditableSectionEvents[E]): void;
  close(): Promise<void>;
}

const MAX_BODY = 32_768;

/**
 * Starts a stand-in of Explo's embed on loopback: the iframe page at `/iframe/<jwt>/<env>` (and
 * `/report-builder/iframe/...`), `/bundle.js` with `<explo-dashboard dash-jwt>`. It decrypts tokens
 * with the given key(s), shows customer, embed id and a countdown, rejects expired or foreign tokens
 * visibly, emits `customerJwtExpired` shortly before expiry and applies `updateCustomerJwt`.
 * For tests and local rehearsal only: never part of a production code path.
 */
export async function startExploStandIn(options: ExploStandInOptions): Promise<ExploStandIn> {
  const keys = Array.isArray(options.keys) ? options.keys : [options.keys as ExploSecret];
  if (keys.length === 0) throw new TypeError('startExploStandIn needs at least one key.');
  const warnBefore = options.expiryWarning ?? 5;
  if (!(warnBefore >= 0)) throw new TypeError('expiryWarning must be a number of seconds >= 0.');

  let faults: ExploStandInFaults = NO_FAULTS;
  const records = customerRecords();
  const api =
    options.apiToken === undefined
      ? undefined
      : apiStandIn({
          apiToken: options.apiToken,
          key: keys[0] as ExploSecret,
          customers: records,
          resources: options.resources ?? {},
          requireCustomers: options.requireCustomers === true,
          legacyIv: () => faults.legacyIv,
          failWith: () => faults.apiFails,
        });
  const events = eventStream();
  const { verify, refused, REFUSED, unpublished, UNPUBLISHED } = verdicts(
    keys,
    () => faults,
    options.requireCustomers === true ? records.has : undefined,
  );

  let base = '';
  const client = CLIENT_SCRIPT.replace('__WARN_BEFORE__', String(warnBefore));
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, 'text/plain', 'stand-in error'));
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, 'application/json', '{"status":"ok"}');
    if (req.method === 'GET' && url.pathname === '/stand-in-client.js') {
      return send(res, 200, 'text/javascript', client.replace('__STAND_IN_ORIGIN__', JSON.stringify(base)));
    }
    if (req.method === 'GET' && url.pathname === '/bundle.js') {
      const bundle = bundleScript(client.replace('__STAND_IN_ORIGIN__', JSON.stringify(base)), events.height());
      return send(res, 200, 'text/javascript', bundle, { 'access-control-allow-origin': '*' });
    }
    const reportBuilder = parts[0] === 'report-builder';
    const rest = reportBuilder ? parts.slice(1) : parts;
    if (req.method === 'GET' && rest[0] === 'iframe' && rest.length === 3) {
      const jwt = decodeURIComponent(rest[1] as string);
      const environment = decodeURIComponent(rest[2] as string);
      // The embedding page's origin, as a cross-origin iframe request's Referer carries it.
      const initial = refused(originOf(req.headers.referer))
        ? REFUSED
        : unpublished(environment)
          ? UNPUBLISHED
          : await verify(jwt);
      const label = reportBuilder ? 'report builder, iframe' : 'dashboard, iframe';
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        iframePage({ jwt, environment, label, initial, height: events.height() }),
      );
    }
    const apiRoute = api?.(url.pathname);
    if (apiRoute) return apiRoute(req, res);
    // The verdict holds decrypted claims: only the embedding pages may read it (no `*`).
    const origin = req.headers.origin;
    const allowed =
      typeof origin === 'string' &&
      (options.allowedOrigins ? options.allowedOrigins.includes(origin) : LOOPBACK_ORIGIN.test(origin));
    if (req.method === 'GET' && url.pathname === '/api/events') {
      // Server-sent events: how expireNow(), setHeight() and editable-section events reach every embed at once.
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        ...(allowed ? { 'access-control-allow-origin': origin as string, vary: 'origin' } : {}),
      });
      return events.open(res);
    }
    if (url.pathname === '/api/verify') {
      const cors: Record<string, string> = allowed
        ? {
            'access-control-allow-origin': origin,
            'access-control-allow-headers': 'content-type',
            'access-control-allow-methods': 'POST',
            vary: 'origin',
          }
        : { vary: 'origin' };
      if (req.method === 'OPTIONS') return send(res, 204, 'text/plain', '', cors);
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'POST only', cors);
      let body = '';
      for await (const chunk of req) {
        body += chunk;
        if (body.length > MAX_BODY) return send(res, 413, 'text/plain', 'too large', cors);
      }
      if (faults.verifyDelay > 0) await new Promise((resolve) => setTimeout(resolve, faults.verifyDelay));
      if (faults.verifyFails) return send(res, 500, 'text/plain', 'stand-in verify failing (fault)', cors);
      // The web component's checks come from the embedding page itself.
      const verdict =
        origin !== undefined && origin !== base && refused(origin)
          ? REFUSED
          : unpublished(url.searchParams.get('environment') ?? undefined)
            ? UNPUBLISHED
            : await verify(body.trim());
      return send(res, 200, 'application/json', JSON.stringify(verdict), cors);
    }
    return send(res, 404, 'text/plain', 'not found');
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  base = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  return {
    url: base,
    origin: base,
    bundleUrl: `${base}/bundle.js`,
    iframeUrl: (jwt, environment = 'production', rb = false) =>
      `${base}${rb ? '/report-builder' : ''}/iframe/${encodeURIComponent(jwt)}/${encodeURIComponent(environment)}`,
    verify,
    setFaults(next = {}) {
      faults = Object.keys(next).length === 0 ? NO_FAULTS : { ...faults, ...next };
    },
    expireNow: () => events.expire(),
    setHeight: (px) => events.setHeight(px ?? null),
    emitEditableSection: (event, detail) => events.editableSection(event, detail),
    customers: () => records.all(),
    emitAnalytics: (detail) => events.analytics(detail),
    close: () =>
      new Promise<void>((resolve) => {
        events.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function originOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}
