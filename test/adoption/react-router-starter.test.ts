import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { starterAppContract } from './app-contract.js';
import { node24Env } from './node24.js';
import { readReadme, recipeOf } from './readme-recipe.js';
import { applyRecipe, freePort, packAll, ROOT, STARTERS, type StartedApp, sh, startApp } from './starter-kit.js';

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

describe('create-react-router’s default template with the fetch README’s React Router section', () => {
  it('type-checks with the template’s `npm run typecheck` and builds without any EXPLO_* variable', async () => {
    await sh('npm', ['run', 'typecheck'], dir, node24);
    expect(buildOutput).toMatch(/build\/server\/index\.js/);
    expect(buildOutput).not.toMatch(/ERR_EXPLO/);
  }, 180_000);

  starterAppContract({
    app: () => app,
    browser: () => browser,
    key: KEY,
    refresher: '<ExploDashboard>',
    // The template's root links Google Fonts, which this machine cannot reach.
    unreachable: /^https:\/\/fonts\.(googleapis|gstatic)\.com\//,
  });
});
