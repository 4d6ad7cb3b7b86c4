import { LOGOUT_COOKIE } from '../../src/session.js';

export function POST(request: Request) {
  // A browser's form post is sent back to the login page; API clients get 204.
  const fromForm = request.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded') === true;
  const headers = { 'set-cookie': LOGOUT_COOKIE };
  return fromForm
    ? new Response(null, { status: 303, headers: { ...headers, location: '/' } })
    : new Response(null, { status: 204, headers });
}
