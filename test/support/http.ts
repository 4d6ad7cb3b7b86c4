import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExploEmbed } from '@explo-embed/core';

/** A server listening on loopback, and how to stop it. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 with a free port. */
export async function listen(server: Server): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** A test page's token route, answered as the adapters answer it: customer acme's token of `dashboard`, never cached. */
export function answerToken(res: ServerResponse, embed: Pick<ExploEmbed, 'mint'>, dashboard: string, fresh: boolean): void {
  void embed.mint({ customerId: 'acme', dashboard, fresh }).then((token) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ jwt: token.jwt, expiresIn: token.expiresIn, expiresAt: token.expiresAt, dashboard }));
  });
}
