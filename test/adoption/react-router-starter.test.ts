import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { decryptExploJwt } from '@explo-embed/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { node24Env } from './node24.js';
import { readReadme, recipeOf } from './readme-recipe.js';
import { applyRecipe, cookiesOf, freePort, packAll, ROOT, STARTERS, type StartedApp, sh, startApp } from './starter-kit.js';

// A new user of React Router (framework mode), as they start today: `npx create-react-router@latest`,
// then @explo-embed/fetch's React Router section, verbatim. Type-checked by the template's
// `npm run typecheck` (`react-router typegen && tsc`), built by `react-router build` with no EXPLO_*
// or SESSION_SECRET set (as in CI), served by `react-router-serve` with them, logged in, and read
// over HTTP and in Chromium. React Router 8 needs Node 22 or later: every step after the install
// runs on Node 24 (the README's `npm install` runs on the machine's Node through applyRecipe).
//
// create-react-router downloads its template from GitHub, which this machine cannot reach: the test
// writes the files of its default template (remix-run/react-router-templates, `default`) at the
// pinned React Router: package.json, vite.config.ts, react-router.config.ts (React Router 8 made its
// `v8_*` future flags the default, so the flags are gone), tsconfig.json, app/root.tsx, app/app.css,
// app/routes.ts and app/routes/home.tsx. Left out: the welcome page's two SVG logos (its component
// is a one-line stand-in), the favicon, the Dockerfile.
const KEY = { keyId: '8192a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b', keyValue: 'rr-starter-test-key-of-32-bytes!' };
const SESSION_SECRET = 'react-router-starter-session-secret';

const DEFAULT_TEMPLATE: Record<string, string> = {
  'package.json': `${JSON.stringify(
    {
      private: true,
      type: 'module',
      scripts: {
        build: 'react-router build',
        dev: 'react-router dev',
        start: 'react-router-serve ./build/server/index.js',
        typecheck: 'react-router typegen && tsc',
      },
      dependencies: {
        '@react-router/node': STARTERS.reactRouter,
        '@react-router/serve': STARTERS.reactRouter,
        isbot: '^5.2.4',
        react: '^19.3.1',
        'react-dom': '^19.3.1',
        'react-router': STARTERS.reactRouter,
      },
      devDependencies: {
        '@react-router/dev': STARTERS.reactRouter,
        '@tailwindcss/vite': '^4.3.5',
        '@types/node': '^22',
        '@types/react': '^19.3.3',
        '@types/react-dom': '^19.3.0',
        tailwindcss: '^4.3.5',
        typescript: '^6.0.3',
        vite: '^8.4.1',
      },
    },
    null,
    2,
  )}\n`,
  'vite.config.ts': `import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [tailwindcss(), reactRouter()],
  resolve: {
    tsconfigPaths: true,
  },
});
`,
  'react-router.config.ts': `import type { Config } from "@react-router/dev/config";

export default {
  // Config options...
  // Server-side render by default, to enable SPA mode set this to \`false\`
  ssr: true,
} satisfies Config;
`,
  'tsconfig.json': `{
  "include": [
    "**/*",
    "**/.server/**/*",
    "**/.client/**/*",
    ".react-router/types/**/*"
  ],
  "compilerOptions": {
    "lib": ["DOM", "DOM.Iterable", "ES2022"],
    "types": ["node", "vite/client"],
    "target": "ES2022",
    "module": "ES2022",
    "moduleResolution": "bundler",
    "jsx": "react-jsx",
    "rootDirs": [".", "./.react-router/types"],
    "paths": {
      "~/*": ["./app/*"]
    },
    "esModuleInterop": true,
    "verbatimModuleSyntax": true,
    "noEmit": true,
    "resolveJsonModule": true,
    "skipLibCheck": true,
    "strict": true
  }
}
`,
  'app/root.tsx': `import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
} from "react-router";

import type { Route } from "./+types/root";
import "./app.css";

export const links: Route.LinksFunction = () => [
  { rel: "preconnect", href: "https://fonts.googleapis.com" },
  {
    rel: "preconnect",
    href: "https://fonts.gstatic.com",
    crossOrigin: "anonymous",
  },
  {
    rel: "stylesheet",
    href: "https://fonts.googleapis.com/css2?family=Inter:ital,opsz,wght@0,14..32,100..900;1,14..32,100..900&display=swap",
  },
];

export function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  let message = "Oops!";
  let details = "An unexpected error occurred.";
  let stack: string | undefined;

  if (isRouteErrorResponse(error)) {
    message = error.status === 404 ? "404" : "Error";
    details =
      error.status === 404
        ? "The requested page could not be found."
        : error.statusText || details;
  } else if (import.meta.env.DEV && error && error instanceof Error) {
    details = error.message;
    stack = error.stack;
  }

  return (
    <main className="pt-16 p-4 container mx-auto">
      <h1>{message}</h1>
      <p>{details}</p>
      {stack && (
        <pre className="w-full p-4 overflow-x-auto">
          <code>{stack}</code>
        </pre>
      )}
    </main>
  );
}
`,
  'app/app.css': `@import "tailwindcss";

@theme {
  --font-sans: "Inter", ui-sans-serif, system-ui, sans-serif,
    "Apple Color Emoji", "Segoe UI Emoji", "Segoe UI Symbol", "Noto Color Emoji";
}

html,
body {
  @apply bg-white dark:bg-gray-950;

  @media (prefers-color-scheme: dark) {
    color-scheme: dark;
  }
}
`,
  'app/routes.ts': `import { type RouteConfig, index } from "@react-router/dev/routes";

export default [index("routes/home.tsx")] satisfies RouteConfig;
`,
  'app/routes/home.tsx': `import type { Route } from "./+types/home";
import { Welcome } from "../welcome/welcome";

export function meta({}: Route.MetaArgs) {
  return [
    { title: "New React Router App" },
    { name: "description", content: "Welcome to React Router!" },
  ];
}

export default function Home() {
  return <Welcome />;
}
`,
  'app/welcome/welcome.tsx': `export function Welcome() {
  return <main className="flex items-center justify-center pt-16 pb-4">Welcome to React Router</main>;
}
`,
  '.gitignore': '.DS_Store\n.env\n/node_modules/\n\n# React Router\n/.react-router/\n/build/\n',
};

let work: string;
let dir: string;
let node24: NodeJS.ProcessEnv;
let app: StartedApp;
let browser: Browser;
let buildOutput: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'explo-react-router-starter-'));
  dir = join(work, 'react-router-app');
  for (const [path, text] of Object.entries(DEFAULT_TEMPLATE)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const [tarballs, env] = await Promise.all([packAll(join(work, 'packs')), node24Env()]);
  node24 = env;
  // One install: the template's dependencies and the README's packages together.
  await applyRecipe(dir, recipeOf(readReadme(ROOT, 'packages/fetch/README.md', /^React Router$/)), tarballs, {
    snippetDir: 'app/readme-snippets',
  });
  // The build, as CI runs it: none of the app's secrets in its environment.
  const buildEnv = { ...node24 };
  for (const name of ['EXPLO_KEY_ID', 'EXPLO_KEY_VALUE', 'SESSION_SECRET']) delete buildEnv[name];
  buildOutput = await sh('npx', ['react-router', 'build'], dir, buildEnv);
  const port = await freePort();
  app = await startApp(
    dir,
    ['npm', 'start'],
    { ...node24, HOST: '127.0.0.1', EXPLO_KEY_ID: KEY.keyId, EXPLO_KEY_VALUE: KEY.keyValue, SESSION_SECRET },
    port,
    { readyPath: '/dashboard' },
  );
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (work && !process.env.KEEP_ADOPTION_APPS) rmSync(work, { recursive: true, force: true });
});

const jwtIn = (html: string) => /src="https:\/\/app\.explo\.co\/iframe\/([^/"]+)\/production"/.exec(html)?.[1];
const IFRAME_SRC = /^https:\/\/app\.explo\.co\/iframe\/([^/]+)\/production$/;

async function logIn(): Promise<string> {
  const login = await fetch(`${app.url}/login`, { method: 'POST', redirect: 'manual' });
  expect(login.status).toBe(302);
  expect(new URL(login.headers.get('location') ?? '', app.url).pathname).toBe('/dashboard');
  return cookiesOf(login);
}

/**
 * Explo's side of the iframe: until the page answers, it says the token is expiring (the page's
 * helper listens once React has hydrated), then shows the token it was handed as its title.
 */
const EXPLO_STAND_IN = `<!doctype html><title>waiting</title><script>
let renewed = false;
addEventListener('message', (event) => {
  if (event.data && event.data.event === 'updateCustomerJwt') { renewed = true; document.title = event.data.detail.jwt; }
});
(function expiring() { if (!renewed) { parent.postMessage({ event: 'customerJwtExpired' }, '*'); setTimeout(expiring, 250); } })();
</script>`;

describe('create-react-router’s default template with the fetch README’s React Router section', () => {
  it('type-checks with the template’s `npm run typecheck` and builds without any EXPLO_* variable', async () => {
    await sh('npm', ['run', 'typecheck'], dir, node24);
    expect(buildOutput).toMatch(/build\/server\/index\.js/);
    expect(buildOutput).not.toMatch(/ERR_EXPLO/);
  }, 180_000);

  it('serves the dashboard page: a login form, then after login the iframe with the customer’s token, never cached', async () => {
    const loggedOut = await fetch(`${app.url}/dashboard`);
    expect(loggedOut.status).toBe(200);
    expect(loggedOut.headers.get('cache-control')).toBeNull();
    const html = await loggedOut.text();
    expect(html).toContain('<form action="/login" method="post">');
    expect(jwtIn(html)).toBeUndefined();
    const cookie = await logIn();
    const page = await fetch(`${app.url}/dashboard`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    const jwt = jwtIn(await page.text());
    expect(jwt).toBeDefined();
    expect((await decryptExploJwt(jwt as string, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'a1b2c3d4' });
  });

  it('serves the token route: the session’s customer’s token, 401 without one; one token cache with the page', async () => {
    const cookie = await logIn();
    const onPage = jwtIn(await (await fetch(`${app.url}/dashboard`, { headers: { cookie } })).text());
    const token = await fetch(`${app.url}/explo/token`, { headers: { cookie } });
    expect(token.status).toBe(200);
    expect(token.headers.get('cache-control')).toBe('no-store');
    const { jwt } = (await token.json()) as { jwt: string };
    expect(jwt).toBe(onPage);
    expect((await decryptExploJwt(jwt, KEY)).claims.cst).toBe('acme');
    const anonymous = await fetch(`${app.url}/explo/token`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('ERR_EXPLO_UNAUTHENTICATED');
  });

  it('in Chromium: <ExploDashboard> hydrates over the server’s iframe and answers Explo’s expiry with a fresh token', async () => {
    const context = await browser.newContext();
    try {
      await context.route('https://app.explo.co/**', (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: EXPLO_STAND_IN }),
      );
      // The template's root links Google Fonts, which this machine cannot reach: an empty stylesheet.
      await context.route(/^https:\/\/fonts\.(googleapis|gstatic)\.com\//, (route) =>
        route.fulfill({ status: 200, contentType: 'text/css', body: '' }),
      );
      const url = new URL(app.url);
      const [name, ...value] = (await logIn()).split('=');
      await context.addCookies([{ name: name as string, value: value.join('='), domain: url.hostname, path: '/' }]);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' || /hydrat/i.test(message.text())) errors.push(message.text());
      });
      const tokenRequests: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/explo/token')) tokenRequests.push(request.url());
      });
      await page.goto(`${app.url}/dashboard`);
      const iframe = page.locator('iframe[title="Explo dashboard"]');
      const served = IFRAME_SRC.exec((await iframe.getAttribute('src')) ?? '')?.[1];
      expect((await decryptExploJwt(served as string, KEY)).claims.cst).toBe('acme');
      const explo = page.frames().find((frame) => frame.url().startsWith('https://app.explo.co/'));
      expect(explo).toBeDefined();
      await explo?.waitForFunction(() => document.title !== 'waiting', undefined, { timeout: 20_000 });
      const renewed = await explo?.title();
      expect((await decryptExploJwt(renewed as string, KEY)).claims).toMatchObject({ cst: 'acme', dsh: 'a1b2c3d4' });
      expect(tokenRequests.length).toBeGreaterThanOrEqual(1);
      for (const asked of tokenRequests) {
        expect(Object.fromEntries(new URL(asked).searchParams)).toEqual({ dashboard: 'sales', fresh: '1' });
      }
      expect(await iframe.count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
