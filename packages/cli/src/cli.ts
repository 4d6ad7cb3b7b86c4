import { Command, CommanderError, Option } from 'commander';
import { checkCommand } from './check-command.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { doctorCommand } from './doctor/doctor-command.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { inspectCommand } from './inspect-command.js';
import { mintCommand, urlCommand } from './mint-command.js';
import { usageErrorLine } from './usage-error-line.js';

const KEY_FILE_HELP =
  'JSON file of keys, [{ "keyId": "...", "keyValue": "..." }], e.g. several during a rotation (default: EXPLO_KEY_ID / EXPLO_KEY_VALUE)';

const API_TOKEN_HELP =
  "an Explo API token, or - to read it from stdin: confirms in Explo's Resource API that every embed id named (EXPLO_DASHBOARDS, and for doctor the page's token) exists; never printed";

const EXIT_CODES_HELP = `
Exit codes:
  0  success (inspect: the token is valid)
  1  unexpected failure, Explo's API did not issue a token, or a doctor check failed
  2  bad flags or configuration (missing env, key not 32 bytes, ...); inspect shows the header
  3  malformed token
  4  wrong or unknown key
  5  expired token

Environment:
  EXPLO_KEY_ID, EXPLO_KEY_VALUE   the embed secret (Explo: Settings > Data Visibility Groups)
  EXPLO_API_TOKEN, EXPLO_API_URL  for --via-api (URL default https://api.explo.co)
  EXPLO_DASHBOARDS                names for --dashboard, and the embed ids doctor knows: "sales=a1b2c3d4,ops=e5f6a7b8"
Secrets are never printed.`;

/**
 * Runs the `explo-embed` command with `argv` (without `node` and the script) and returns the exit
 * code. Every failure is one line on stderr, never a stack trace, never a secret.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.OK;
  const program = new Command('explo-embed')
    .description('Mint, inspect and check Explo embed tokens; diagnose an embedding page.')
    .version('0.1.0')
    // Subcommands inherit both: a usage error is one line (commander's suggestion kept), then exit 2.
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (text, write) => write(usageErrorLine(text)),
    })
    .addHelpText('after', EXIT_CODES_HELP);

  const mintOptions = (command: Command) =>
    command
      .requiredOption('--customer <id>', 'customer id, as your app gives it to Explo (cst)')
      .option('--embed-id <id>', 'embed id of the dashboard or report builder, as Explo shows it (dsh)')
      .option('--dashboard <name>', 'or: a dashboard name from EXPLO_DASHBOARDS (name=embedId,...), as the middleware names them')
      .option('--expires <duration>', 'lifetime: seconds, or 90s, 30m, 2h, 1d (10 s to 7 d)', '1d')
      .option('--rbc <features>', 'report-builder features, comma-separated: flt,srt,core,crt-view,fork or *')
      .option('--des', 'disable editable-section editing')
      .option('--iss <origin>', 'origin of the embedding page (e.g. https://app.example.com)')
      .option('--via-api', "mint through Explo's API (EXPLO_API_TOKEN) instead of locally")
      .option('--key-file <path>', KEY_FILE_HELP)
      .option('--key-id <id>', 'with --key-file: which key to mint with (default: the first)');

  mintOptions(program.command('mint').description('Mint a token; prints it as the last line of stdout.'))
    .option('--json', 'print JSON with jwt, expiresAt, expiresIn')
    .action(async (flags) => {
      exitCode = await mintCommand(flags, io);
    });

  program
    .command('inspect')
    .description('Decrypt and show a token: header, claims, expiry. Reads Explo\'s legacy 16-byte-IV tokens. "-" reads stdin.')
    .argument('<jwt>', 'the token, or - to read it from stdin')
    .option('--json', 'print JSON')
    .option('--key-file <path>', KEY_FILE_HELP)
    .action(async (jwt: string, flags) => {
      exitCode = await inspectCommand(jwt, flags, io);
    });

  mintOptions(program.command('url').description('Print the iframe URL of a fresh token.'))
    .option('--environment <env>', 'Explo environment', 'production')
    .option('--report-builder', 'the report-builder iframe URL')
    .addOption(new Option('--app-url <url>', "Explo's app URL (a stand-in's, for tests)").default('https://app.explo.co'))
    .action(async (flags) => {
      exitCode = await urlCommand(flags, io);
    });

  program
    .command('check')
    .description(
      'Check the configured secret (32 bytes, whitespace, key id shape) and API settings, printing no secret; with --origin, the embedding page too; with --api-token, that the embed ids of EXPLO_DASHBOARDS exist in Explo.',
    )
    .option('--key-file <path>', KEY_FILE_HELP)
    .option('--origin <url>', "the embedding page's origin: judged for Explo's iss claim and allowlist, with the CSP it needs")
    .option('--api-token <token>', API_TOKEN_HELP)
    .action(async (flags) => {
      exitCode = await checkCommand(flags, io);
    });

  program
    .command('doctor')
    .summary('Say why the dashboard embedded in a page would be blank (exit 1 when a check fails).')
    .description(
      "Fetch a page as a signed-in user and say why its embedded dashboard would be blank: the embed, its token (key, expiry, lifetime, customer, dashboard, iss), the page's CSP and caching, the server's clock, the token route, with --api-token the embed ids in Explo, Explo's allowlist. Exit 0 when nothing failed, 1 otherwise.",
    )
    .argument('<page-url>', 'the page that embeds the dashboard, e.g. https://app.example.com/dashboard')
    .option(
      '--cookie <header>',
      'the Cookie header of a signed-in session (as the browser sends it), or - to read it from stdin; never printed',
    )
    .option('--token-url <path>', 'the token route, resolved against the page (same origin only)', '/explo/token')
    .option('--key-file <path>', KEY_FILE_HELP)
    .option('--timeout <seconds>', 'for each request, 1 to 120', '10')
    .option('--api-token <token>', API_TOKEN_HELP)
    .option('--json', 'print JSON: { page, ok, summary, checks: [{ check, status, message, fix }] }')
    .action(async (page: string, flags) => {
      exitCode = await doctorCommand(page, flags, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; a usage mistake was printed by outputError.
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    const coded = error as { code?: string; message?: string };
    const known = error instanceof CliError || (typeof coded.code === 'string' && coded.code.startsWith('ERR_EXPLO_'));
    io.stderr(`explo-embed: ${known ? coded.message : 'unexpected failure; please report it.'}\n`);
    return known ? exitCodeFor(coded.code) : EXIT.FAILURE;
  }
}
