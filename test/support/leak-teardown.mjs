import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, harvestSecrets, LEAK_DIR } from './leak-scan-core.mjs';

// globalTeardown: fails the run if any recorded response, log line or handled error holds a secret.
export default function () {
  if (!existsSync(LEAK_DIR)) return;
  const records = [];
  for (const name of readdirSync(LEAK_DIR)) {
    for (const line of readFileSync(join(LEAK_DIR, name), 'utf8').split('\n')) if (line) records.push(JSON.parse(line));
  }
  const secrets = harvestSecrets(process.cwd());
  const leaks = findLeaks(records, secrets);
  console.log(
    `\nsecret-leak scan: ${records.length} responses, log lines and handled errors checked against ${secrets.length} key values and API tokens; ${leaks.length} leaks.`,
  );
  if (leaks.length > 0) {
    throw new Error(
      `Secret leak(s) found:\n${leaks
        .slice(0, 20)
        .map((l) => `  ${l.kind} in ${l.where}: ${l.secret}`)
        .join('\n')}`,
    );
  }
}
