import { CliError } from './cli-error.js';

/** Where a command writes, and what it reads. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** Current time in ms; for tests. */
  now?: () => number;
}

/** The current time of this run. */
export function nowOf(io: CliIo): number {
  return io.now ? io.now() : Date.now();
}

/** Reads stdin (for a `-` argument), stopping past 64 KiB with a CliError that says what was expected. */
export async function readStdin(stream: NodeJS.ReadableStream, expected: string): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += chunk;
    if (text.length > 65_536) throw new CliError(`stdin holds more than 64 KiB; expected ${expected}.`);
  }
  return text;
}
