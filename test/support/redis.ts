import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A throwaway Redis: Debian's redis-server on a free loopback port, no persistence. */
export interface RunningRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Killed at once (SIGKILL), as a crash or an out-of-memory kill would: connections drop. */
  kill(): Promise<void>;
  /** Hangs (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void;
  /** Answers again (SIGCONT) after `pause()`. */
  resume(): void;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** Starts redis-server (or `REDIS_SERVER_PATH`) and resolves once it accepts connections; on `port` to restart one that was killed. */
export async function startRedis(port?: number): Promise<RunningRedis> {
  port ??= await freePort();
  const child = spawn(
    process.env.REDIS_SERVER_PATH ?? 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // 'close', not 'exit': once the child's pipes are closed too, so a stopped server leaves nothing
  // open in the test process (a Jest worker with an open pipe is force-exited, and says so).
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 15_000);
    child.once('error', reject);
    child.stdout?.on('data', (data) => {
      output += data;
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (running()) {
        // A paused server would not act on SIGTERM until continued.
        child.kill('SIGCONT');
        child.kill('SIGTERM');
      }
      await closed;
    },
    kill: async () => {
      if (running()) child.kill('SIGKILL');
      await closed;
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
  };
}
