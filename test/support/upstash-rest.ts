import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createClient } from 'redis';
import { listen } from './http.js';

/** A local stand-in of Upstash's Redis REST API, in front of a real Redis. */
export interface RunningUpstashRest {
  url: string;
  /** Every command received, in order (a transaction's commands each), with its first word upper-cased. */
  readonly commands: string[][];
  /** While set, every request gets this answer instead (status, body): an outage, a proxy's page, a huge value. */
  answerWith(answer: { status: number; body: string } | undefined): void;
  close(): Promise<void>;
}

/**
 * Speaks Upstash's documented REST protocol (upstash.com/docs/redis/features/restapi): a command is
 * a JSON array POSTed to `/`, a transaction an array of them POSTed to `/multi-exec`; the bearer
 * token in `Authorization`; answers `{ "result": ... }`, `{ "error": "..." }` with 400 for a Redis
 * error, 401 for a wrong token. Commands run on `redisUrl` (test/support/redis.ts).
 */
export async function startUpstashRest(redisUrl: string, token: string): Promise<RunningUpstashRest> {
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  const commands: string[][] = [];
  let override: { status: number; body: string } | undefined;
  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const run = async (args: unknown): Promise<unknown> => {
    if (!Array.isArray(args) || args.length === 0 || !args.every((arg) => typeof arg === 'string' || typeof arg === 'number')) {
      throw new Error('ERR command must be a non-empty array of strings');
    }
    const command = args.map(String);
    commands.push([command[0]?.toUpperCase() as string, ...command.slice(1)]);
    return redis.sendCommand(command);
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (override !== undefined) {
      response.writeHead(override.status, { 'content-type': 'application/json' });
      response.end(override.body);
      return;
    }
    if (request.headers.authorization !== `Bearer ${token}`) return send(response, 401, { error: 'Unauthorized' });
    if (request.method !== 'POST') return send(response, 405, { error: 'ERR only POST is served here' });
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(response, 400, { error: 'ERR failed to parse the command' });
    }
    if (request.url === '/multi-exec') {
      if (!Array.isArray(body)) return send(response, 400, { error: 'ERR a transaction is an array of commands' });
      // One Redis transaction, as Upstash runs it: every command or none, answered one by one.
      const transaction = redis.multi();
      for (const args of body as string[][]) {
        commands.push([String(args[0]).toUpperCase(), ...args.slice(1).map(String)]);
        transaction.addCommand(args.map(String));
      }
      try {
        const results = await transaction.exec();
        return send(
          response,
          200,
          results.map((result) => ({ result })),
        );
      } catch (error) {
        return send(response, 400, { error: (error as Error).message });
      }
    }
    if (request.url !== '/') return send(response, 404, { error: 'ERR not found' });
    try {
      return send(response, 200, { result: await run(body) });
    } catch (error) {
      return send(response, 400, { error: (error as Error).message });
    }
  };
  const server = await listen(createServer((request, response) => void handle(request, response)));
  return {
    url: server.url,
    commands,
    answerWith: (answer) => {
      override = answer;
    },
    close: async () => {
      await server.close();
      await redis.close();
    },
  };
}
