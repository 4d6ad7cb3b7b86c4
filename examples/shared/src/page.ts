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
  .error { background: #fde8e8; border: 1px solid #d33; padding: .6rem .9rem; border-radius: 6px; }
  iframe { width: 100%; height: 640px; border: 1px solid #ccd; border-radius: 6px; }
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
}

/** The logged-in page: the embedded dashboard built from res.locals.exploJwt. */
export function dashboardPage(input: DashboardPageInput): string {
  const { framework, customerId, jwt, errorCode, environment, mode, ephemeralSecret, expiresAt } = input;
  const env = escapeHtml(environment);
  let embed: string;
  if (!jwt) {
    embed = `<p class="error" role="alert">Analytics are unavailable right now (${escapeHtml(errorCode ?? 'no token')}). Try again shortly.</p>`;
  } else if (mode === 'web-component') {
    embed = `<script src="https://embed.explo.co/bundle.js"></script>
<explo-dashboard dash-jwt="${escapeHtml(jwt)}" environment="${env}" refresh-minutes="10"></explo-dashboard>`;
  } else {
    embed = `<iframe title="Dashboard" src="https://app.explo.co/iframe/${encodeURIComponent(jwt)}/${encodeURIComponent(environment)}"></iframe>`;
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
    ? '<p class="warn">No EXPLO_KEY_ID / EXPLO_KEY_VALUE set: tokens are minted with a throwaway dev key, so Explo will reject them.</p>'
    : ''
}
<nav><a href="/?mode=iframe">iframe</a><a href="/?mode=web-component">web component</a></nav>
${expiresAt ? `<p>Token expires at <time datetime="${expiresAt.toISOString()}">${expiresAt.toISOString()}</time>.</p>` : ''}
${embed}`,
  );
}
