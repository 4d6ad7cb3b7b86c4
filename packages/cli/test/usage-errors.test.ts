import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { usageErrorLine } from '../src/usage-error-line.js';
import { runInProcess } from './support/cli-run.js';

const HELP = '(run with --help for usage)';

describe('a usage mistake is one line on stderr, exit 2', () => {
  it.each([
    ['an unknown option', ['inspect', '--jsn', 'x'], "unknown option '--jsn' (did you mean --json?)"],
    ['an unknown option with no near name', ['check', '--colour'], `unknown option '--colour' ${HELP}`],
    ['an unknown command', ['mnt'], "unknown command 'mnt' (did you mean mint?)"],
    ['a missing argument', ['inspect'], `missing required argument 'jwt' ${HELP}`],
    ['an excess argument', ['inspect', 'a', 'b'], `too many arguments for 'inspect'. Expected 1 argument but got 2. ${HELP}`],
    ['a required option left out', ['mint', '--embed-id', 'e'], `required option '--customer <id>' not specified ${HELP}`],
    ["an option's value left out", ['check', '--origin'], `option '--origin <url>' argument missing ${HELP}`],
  ])('%s', async (_name, args, message) => {
    const r = await runInProcess(args);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `explo-embed: ${message}\n` });
  });

  it('an option name from argv cannot break the line or act on the terminal', async () => {
    const r = await runInProcess(['check', '--a\nb\u001b[2J\u009b']);
    expect(r.stderr).toBe(`explo-embed: unknown option '--a\\u000ab\\u001b[2J\\u009b' ${HELP}\n`);
  });

  it('keeps every suggestion commander makes', () => {
    expect(usageErrorLine("error: unknown option '--key'\n(Did you mean one of --key-file, --key-id?)\n")).toBe(
      "explo-embed: unknown option '--key' (did you mean one of --key-file, --key-id?)\n",
    );
  });
});

describe('--help and --version still print normally', () => {
  it.each([[['--help']], [['inspect', '--help']], [['help', 'mint']]])('%p: usage on stdout, exit 0', async (args) => {
    const r = await runInProcess(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: explo-embed/);
    expect(r.stderr).toBe('');
  });

  it('--version prints the version, exit 0', async () => {
    expect(await runInProcess(['--version'])).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });
});

describe('the published bin', () => {
  it('writes the one line to the real stderr and exits 2', async () => {
    const bin = fileURLToPath(new URL('../bin/explo-embed.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'inspect', '--jsn', 'x'], { env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect({ code, stdout, stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: "explo-embed: unknown option '--jsn' (did you mean --json?)\n",
    });
  });
});
