import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ExploHealth as ExploEmbedHealth } from '@explo-embed/core';

/** What one mint in a worker came to: a token, or a coded error; and how long it took there (ms). */
export type MintOutcome = ({ jwt: string } | { code: string; retryAfter?: number }) & { ms: number };

/** One instance of a fleet in its own process, driven over IPC. */
export interface FleetWorker {
  mint(customers: string[], options?: { dashboard?: string; fresh?: boolean }): Promise<MintOutcome[]>;
  health(): Promise<ExploEmbedHealth>;
  /** What its logger was told. */
  readonly logged: string[];
  close(): Promise<void>;
}

const WORKER = fileURLToPath(new URL('./fleet-worker.ts', import.meta.url));

/** Starts `count` instances (processes) with `config`, each ready to mint. */
export async function startFleet(count: number, config: object): Promise<FleetWorker[]> {
  return Promise.all(Array.from({ length: count }, () => startWorker(config)));
}

async function startWorker(config: object): Promise<FleetWorker> {
  const child: ChildProcess = fork(WORKER, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, FLEET_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let output = '';
  child.stdout?.on('data', (data) => (output += data));
  child.stderr?.on('data', (data) => (output += data));
  const logged: string[] = [];
  const pending = new Map<number, (message: Record<string, unknown>) => void>();
  let next = 0;
  await new Promise<void>((resolve, reject) => {
    child.on('message', (message: Record<string, unknown>) => {
      if (message.ready) resolve();
      else if (typeof message.log === 'string') logged.push(message.log);
      else pending.get(message.id as number)?.(message);
    });
    child.once('exit', (code) => reject(new Error(`a fleet worker exited with ${code}: ${output}`)));
  });
  const ask = (command: object) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = next++;
      pending.set(id, (message) => {
        pending.delete(id);
        resolve(message);
      });
      child.send({ ...command, id });
    });
  return {
    logged,
    mint: async (customers, options = {}) => (await ask({ op: 'mint', customers, ...options })).results as MintOutcome[],
    health: async () => (await ask({ op: 'health' })).health as ExploEmbedHealth,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) await ask({ op: 'close' });
      // Its pipes and IPC channel closed too, not only the process gone: nothing left open here.
      await closed;
    },
  };
}
