import { Readable } from 'node:stream';
import { runCli } from '../../src/index.js';

/** What one in-process run of `explo-embed` printed, and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `explo-embed args` in process with only `env` set, capturing both streams; `now` freezes the clock. */
export async function runInProcess(
  args: string[],
  env: Record<string, string> = {},
  options: { stdin?: string; now?: number } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    env,
    ...(options.now === undefined ? {} : { now: () => options.now as number }),
  });
  return { code, stdout, stderr };
}
