/** A usage or configuration mistake on the command line: one line on stderr, exit code 2. */
export class CliError extends Error {
  readonly code = 'ERR_EXPLO_CLI_USAGE';
}
