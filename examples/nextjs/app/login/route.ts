import { loginPage, validCustomerId } from 'example-support';
import { readLoginBody } from '../../src/body.js';
import { exampleRuntime } from '../../src/runtime.js';
import { sessionCookie } from '../../src/session.js';

export async function POST(request: Request) {
  const body = await readLoginBody(request);
  if (body === 413) return new Response('Request body too large', { status: 413 });
  if (body === 400) return new Response('Bad request', { status: 400 });
  const wantsJson = request.headers.get('content-type')?.startsWith('application/json') === true;
  const customerId = validCustomerId(body.customerId);
  if (customerId === undefined) {
    const message = 'customerId must be 1 to 128 printable characters.';
    if (wantsJson) return Response.json({ error: message }, { status: 400 });
    return new Response(loginPage('Next.js', message), { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' } });
  }
  const cookie = await sessionCookie(customerId, exampleRuntime().config.sessionSecret);
  if (wantsJson) return Response.json({ customerId }, { headers: { 'set-cookie': cookie } });
  return new Response(null, { status: 303, headers: { location: '/', 'set-cookie': cookie } });
}
