export { runCli } from './cli.js';
export type { CliIo } from './cli-io.js';
export { EXIT } from './exit-codes.js';
export { durationInWords, expiryInWords } from './expiry-words.js';
