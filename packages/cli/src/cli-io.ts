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
