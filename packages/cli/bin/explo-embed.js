#!/usr/bin/env node
// The published entry point: everything lives in dist/ (built from src/).
import { runCli } from '../dist/index.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: process.stdin,
  env: process.env,
});
