import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen, type RunningServer } from './http.js';

/** One request the stand-in received. */
export interface ApiCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** How the stand-in answers the n-th call (0-based): status and body, or 'hang' / 'drop'. */
export type ApiBehaviour = (
  call: ApiCall,
  n: number,
) => { status: number; body: unknown; headers?: Record<string, string> } | 'hang' | 'drop';

/** A loopback stand-in of Explo's `POST /api/generate_jwt/`, recording every call. */
export async function startExploApi(behaviour: ApiBehaviour): Promise<RunningServer & { calls: ApiCall[] }> {
  const calls: ApiCall[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw);
    } catch {
      // recorded as {}
    }
    const call = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
    calls.push(call);
    const answer = behaviour(call, calls.length - 1);
    if (answer === 'hang') return;
    if (answer === 'drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  });
  const running = await listen(server);
  return Object.assign(running, { calls });
}

/** A plausible compact JWE string for the stand-in to hand out. */
export function fakeJwt(n: number): string {
  return `eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXYtJHtufQ.Y3Qt${n}.dGFn`;
}
