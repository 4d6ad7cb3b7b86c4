import { exampleRuntime } from '../../../src/runtime.js';
import { sessionCustomer } from '../../../src/session.js';

// What a host app's front end asks: who is signed in (reads the session, like the token route).
export async function GET(request: Request) {
  const customerId = await sessionCustomer(request, exampleRuntime().config.sessionSecret);
  return customerId ? Response.json({ customerId }) : Response.json({ error: 'not signed in' }, { status: 401 });
}
