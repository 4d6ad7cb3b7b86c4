import { type EmbedTarget, EXPLO } from './embed-target.js';
import { helperScript } from './helper-script.js';

const CUSTOMER_ID = /^[^\u0000-\u001f\u007f]{1,128}$/;

/** The demo login's rule for a customer id: 1 to 128 printable characters. Returns the trimmed id or undefined. */
export function validCustomerId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return CUSTOMER_ID.test(trimmed) ? trimmed : undefined;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #1d2330; }
  header { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
  .warn { background: #fff4d6; border: 1px solid #e0b000; padding: .6rem .9rem; border-radius: 6px; }
  .log { font-size: 13px; color: #445; max-height: 8em; overflow: auto; }
  .error { background: #fde8e8; border: 1px solid #d33; padding: .6rem .9rem; border-radius: 6px; }
  iframe { width: 100%; height: 300px; border: 1px solid #ccd; border-radius: 6px; }
  form.inline { display: inline; }
  input, button { font: inherit; padding: .35rem .6rem; }
  nav a { margin-right: .8rem; }
</style>
</head>
<body>
${body}
</body>
</html>`;
}

/** The logged-out page: a stand-in for the host app's own login. */
export function loginPage(framework: string, error?: string): string {
  return layout(
    `Sign in - explo-embed ${framework} example`,
    `<h1>explo-embed ${escapeHtml(framework)} example</h1>
<p>This form stands in for your app's own login: it puts a customer id in the session.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login">
  <label>Customer id <input name="customerId" required maxlength="128" autocomplete="off" value="customer_1"></label>
  <button type="submit">Sign in</button>
</form>`,
  );
}

export interface DashboardPageInput {
  framework: string;
  customerId: string;
  jwt: string | undefined;
  errorCode: string | undefined;
  environment: string;
  mode: 'iframe' | 'web-component';
  ephemeralSecret: boolean;
  expiresAt: Date | undefined;
  /** Seconds left on `jwt` (res.locals.exploToken.expiresIn). */
  expiresIn: number | undefined;
  /** Explo, or the local stand-in. Default: Explo. */
  target?: EmbedTarget;
  /** The token route. Default `/explo/token`. */
  tokenUrl?: string;
  /** This response's CSP nonce: the page's inline scripts carry it. */
  nonce?: string;
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The logged-in page: the embedded dashboard built from res.locals.exploJwt. */
export function dashboardPage(input: DashboardPageInput): string {
  const { framework, customerId, jwt, errorCode, environment, mode, ephemeralSecret, expiresAt, expiresIn } = input;
  const nonce = input.nonce === undefined ? '' : ` nonce="${escapeHtml(input.nonce)}"`;
  const target = input.target ?? EXPLO;
  const env = escapeHtml(environment);
  let embed: string;
  if (!jwt) {
    embed = `<p class="error" role="alert">Analytics are unavailable right now (${escapeHtml(errorCode ?? 'no token')}). Try again shortly.</p>`;
  } else {
    const element =
      mode === 'web-component'
        ? `<script src="${escapeHtml(target.bundleUrl)}"${nonce}></script>
<explo-dashboard dash-jwt="${escapeHtml(jwt)}" environment="${env}"></explo-dashboard>`
        : `<iframe title="Dashboard" src="${escapeHtml(target.appUrl)}/iframe/${encodeURIComponent(jwt)}/${encodeURIComponent(environment)}"></iframe>`;
    // The browser helper keeps the token fresh: it answers customerJwtExpired and refreshes before expiry.
    const helperOptions = { tokenUrl: input.tokenUrl ?? '/explo/token', exploOrigin: target.origin, expiresIn };
    embed = `${element}
<p>Token status: <span data-testid="explo-status">${expiresIn === undefined ? 'active' : `active, expires in ${expiresIn} s`}</span></p>
<ol data-testid="refresh-log" class="log"></ol>
<script${nonce}>${helperScript()}</script>
<script${nonce}>
  (function () {
    var options = ${scriptJson(helperOptions)};
    var status = document.querySelector('[data-testid="explo-status"]');
    var log = document.querySelector('[data-testid="refresh-log"]');
    var mode = ${scriptJson(mode)};
    if (mode === 'web-component') options.webComponent = document.querySelector('explo-dashboard');
    else options.iframe = document.querySelector('iframe');
    options.onToken = function (token) {
      var item = document.createElement('li');
      item.textContent = new Date().toLocaleTimeString() + ': new token, expires in ' + token.expiresIn + ' s';
      log.appendChild(item);
      status.textContent = 'refreshed ' + log.children.length + ' time(s)';
      var at = document.querySelector('[data-testid="expires-at"]');
      if (at && token.expiresAt) at.textContent = token.expiresAt;
    };
    options.onError = function (error) {
      status.textContent = error.code === 'ERR_EXPLO_NOT_LOADED'
        ? 'the dashboard did not load: ' + error.message
        : error.willRetry
        ? 'token refresh failed (' + error.code + '), retrying in ' + Math.round(error.retryIn / 1000) + ' s'
        : (error.code === 'ERR_EXPLO_UNAUTHENTICATED' ? 'signed out: sign in again to keep the dashboard live' : 'token refresh stopped: ' + error.code);
      status.setAttribute('data-code', error.code);
    };
    window.exploStop = ExploEmbed.keepExploJwtFresh(options);
  })();
</script>`;
  }
  return layout(
    `Dashboard - explo-embed ${framework} example`,
    `<header>
  <h1>Dashboard</h1>
  <div>Signed in as <strong data-testid="customer">${escapeHtml(customerId)}</strong>
    <form class="inline" method="post" action="/logout"><button type="submit">Sign out</button></form></div>
</header>
${
  ephemeralSecret
    ? `<p class="warn">No EXPLO_KEY_ID / EXPLO_KEY_VALUE set: tokens are minted with a throwaway dev key${
        target.standIn ? ', and the dashboard below is the local Explo stand-in.' : ', so Explo will reject them.'
      }</p>`
    : target.standIn
      ? '<p class="warn">EXPLO_STAND_IN=1: embedding the local Explo stand-in, not Explo.</p>'
      : ''
}
<nav><a href="/?mode=iframe">iframe</a><a href="/?mode=web-component">web component</a></nav>
${expiresAt ? `<p>Token expires at <time data-testid="expires-at" datetime="${expiresAt.toISOString()}">${expiresAt.toISOString()}</time>.</p>` : ''}
${embed}`,
  );
}
