// Shared by the recorder (setup file), the global teardown, and the scanner's own test.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const LEAK_DIR = 'test-results/leak-scan';

/** Every key value and API token written as a literal in the test sources. */
export function harvestSecrets(root) {
  const secrets = new Set();
  const patterns = [/(?:keyValue|KEY_VALUE)\s*[:=]\s*'([^'\\]{32})'/g, /API_TOKEN\s*=\s*'([^'\\]{8,})'/g];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.test\.ts$|[\\/]test[\\/].*\.ts$|fixtures\.ts$/.test(path)) {
        const text = readFileSync(path, 'utf8');
        for (const pattern of patterns) for (const match of text.matchAll(pattern)) secrets.add(match[1]);
      }
    }
  };
  for (const top of ['packages', 'examples', 'test']) walk(join(root, top));
  return [...secrets];
}

/** Records that contain a secret: `[{ record, secret }]`, the secret masked. */
export function findLeaks(records, secrets) {
  const leaks = [];
  for (const record of records) {
    for (const secret of secrets) {
      if (record.text.includes(secret))
        leaks.push({ kind: record.kind, where: record.where, secret: `${secret.slice(0, 3)}...(${secret.length} chars)` });
    }
  }
  return leaks;
}
