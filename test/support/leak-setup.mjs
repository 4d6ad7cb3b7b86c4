import { rmSync } from 'node:fs';
import { LEAK_DIR } from './leak-scan-core.mjs';

// globalSetup: start every run with an empty record.
export default function () {
  rmSync(LEAK_DIR, { recursive: true, force: true });
}
