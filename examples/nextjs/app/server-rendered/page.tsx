import { ExploDashboard } from '@explo-embed/react';
// '.js': this app resolves modules as Node does (nodenext), and `next` has no exports map.
import { headers } from 'next/headers.js';
import { exampleRuntime } from '../../src/runtime.js';

// A server component: the token comes from the incoming request's headers (its session cookie), and
// <ExploDashboard> renders the embed in the server's HTML, then keeps its token fresh in the browser.
export default async function ServerRendered({ searchParams }: { searchParams: Promise<{ mode?: string }> }) {
  const { explo, target, config } = exampleRuntime();
  const { exploToken } = await explo.page(await headers()); // undefined when nobody is logged in
  if (!exploToken) return <p>Please log in.</p>;
  const { mode } = await searchParams;
  return (
    <main>
      <h1>Dashboard (React, server-rendered)</h1>
      <ExploDashboard
        token={{ jwt: exploToken.jwt, expiresIn: exploToken.expiresIn }}
        mode={mode === 'web-component' ? 'web-component' : 'iframe'}
        environment={config.environment}
        appUrl={target.appUrl}
        bundleUrl={target.bundleUrl}
        title="Dashboard"
        style={{ width: '100%', height: 320, border: '1px solid #ccd' }}
      />
    </main>
  );
}
