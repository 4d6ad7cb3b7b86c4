import { cspNonce, dashboardPage, loginPage } from 'example-support';
import { exampleRuntime } from '../src/runtime.js';
import { sessionCustomer } from '../src/session.js';

const HTML = { 'content-type': 'text/html; charset=utf-8' };

// The page: the login form, or the dashboard built from the customer's token.
export async function GET(request: Request) {
  const { config, target, explo, csp } = exampleRuntime();
  const customerId = await sessionCustomer(request, config.sessionSecret);
  if (!customerId) return new Response(loginPage('Next.js'), { headers: HTML });
  // The session is already read: handed over, not verified again.
  const page = await explo.page(request, { context: { customerId } });
  // A Content-Security-Policy that lets the embed (Explo, or the stand-in) in and nothing else.
  const nonce = cspNonce();
  const headers = { ...HTML, ...page.headers, 'content-security-policy': csp(nonce) };
  const html = dashboardPage({
    framework: 'Next.js',
    customerId,
    jwt: page.exploJwt,
    errorCode: page.exploError?.code,
    environment: config.environment,
    mode: new URL(request.url).searchParams.get('mode') === 'web-component' ? 'web-component' : 'iframe',
    ephemeralSecret: config.ephemeralSecret,
    expiresAt: page.exploToken?.expiresAt,
    expiresIn: page.exploToken?.expiresIn,
    target,
    nonce,
  });
  return new Response(html, { headers });
}
