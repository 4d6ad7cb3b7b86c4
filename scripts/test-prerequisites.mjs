// The test command's first step: the system programs the tests drive (Debian's chromium for the
// real-browser tests, redis-server for the shared token store). Missing ones are installed with apt-get when this runs as root on Debian;
// otherwise one line says how, and the test run stops before anything else.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What the tests need: the program, where it may be, and the Debian package that provides it. */
const NEEDED = [
  { name: 'Chromium', env: 'CHROMIUM_PATH', paths: ['/usr/bin/chromium'], debian: 'chromium' },
  { name: 'Redis', env: 'REDIS_SERVER_PATH', paths: ['/usr/bin/redis-server'], debian: 'redis-server' },
];

const found = (need) => {
  const fromEnv = process.env[need.env];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return need.paths.find((path) => existsSync(path));
};

for (const need of NEEDED) {
  const fromEnv = process.env[need.env];
  if (fromEnv && !existsSync(fromEnv)) {
    console.error(`test prerequisites: ${need.env}=${fromEnv} does not exist; point it at ${need.name} or unset it.`);
    process.exit(1);
  }
}
const missing = NEEDED.filter((need) => found(need) === undefined);
if (missing.length > 0) {
  const packages = missing.map((need) => need.debian);
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!canInstall) {
    console.error(
      `test prerequisites: missing ${missing.map((need) => need.name).join(', ')}: install Debian's ${packages.join(' ')} (apt-get install -y ${packages.join(' ')}) or set ${missing.map((need) => need.env).join(', ')}.`,
    );
    process.exit(1);
  }
  console.log(`test prerequisites: installing Debian's ${packages.join(' ')} (once)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
  const still = missing.filter((need) => found(need) === undefined);
  if (still.length > 0) {
    console.error(`test prerequisites: ${still.map((need) => need.name).join(', ')} still missing after apt-get install.`);
    process.exit(1);
  }
}
