// '.js': this app resolves modules as Node does (nodenext), and `next` has no exports map.
import { headers } from 'next/headers.js';
import { exampleRuntime } from '../../src/runtime.js';

// A server component: the token comes from the incoming request's headers (its session cookie).
export default async function ServerRendered() {
  const { explo, target, config } = exampleRuntime();
  const { exploJwt } = await explo.page(await headers()); // undefined when nobody is logged in
  if (!exploJwt) return <p>Please log in.</p>;
  return <iframe src={`${target.appUrl}/iframe/${exploJwt}/${config.environment}`} title="Dashboard" />;
}
