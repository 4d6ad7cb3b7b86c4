/**
 * A usage or configuration mistake on the command line: one line on stderr, exit code 2. It may
 * carry the core's code for the same mistake (`ERR_EXPLO_KEY_LENGTH`), which `inspect --json` reports.
 */
export class CliError extends Error {
  readonly code: string;

  constructor(message: string, code = 'ERR_EXPLO_CLI_USAGE') {
    super(message);
    this.code = code;
  }
}
