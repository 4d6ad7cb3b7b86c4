import { exampleRuntime } from '../../src/runtime.js';

export const dynamic = 'force-dynamic';

// Ready when a token can be issued now: for a load balancer's readiness probe.
export function GET() {
  const health = exampleRuntime().explo.embed.health();
  return Response.json(health, { status: health.ready ? 200 : 503 });
}
