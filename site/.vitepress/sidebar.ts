import type { DefaultTheme } from 'vitepress';
import { apiReportNames } from './lib/api/api-reports.js';

const servers: [string, string][] = [
  ['Express', 'express'],
  ['Koa', 'koa'],
  ['NestJS', 'nestjs'],
  ['Fastify', 'fastify'],
  ['Next.js', 'nextjs'],
  ['Nuxt', 'nuxt'],
  ['SvelteKit', 'sveltekit'],
  ['React Router', 'react-router'],
  ['Astro', 'astro'],
  ['Hono', 'hono'],
  ['Cloudflare Workers', 'cloudflare-workers'],
  ['Bun, Deno, any Node server', 'other-runtimes'],
];
const pages: [string, string][] = [
  ['React', 'react'],
  ['Vue', 'vue'],
  ['Svelte', 'svelte'],
  ['Angular', 'angular'],
  ['Plain HTML, any page', 'html'],
];
const packages = ['core', 'express', 'koa', 'nestjs', 'fastify', 'fetch', 'browser', 'react', 'vue', 'svelte', 'angular'];
// The CLI's and the stand-in's READMEs are pages of their own, under Understand.
const tools: [string, string][] = [
  ['cli', '/cli'],
  ['testing', '/testing'],
];

const links = (list: [string, string][], folder: string) => list.map(([text, page]) => ({ text, link: `/${folder}/${page}` }));

/** The sidebar: the same on every page, so a reader never loses the map. */
export const sidebar: DefaultTheme.SidebarItem[] = [
  {
    text: 'Start',
    items: [
      { text: 'What do you run?', link: '/' },
      { text: 'Install and project setup', link: '/setup' },
    ],
  },
  { text: 'Guides: your server', link: '/guides/', collapsed: false, items: links(servers, 'guides') },
  { text: 'Guides: your page', collapsed: false, items: links(pages, 'guides') },
  {
    text: 'Understand',
    items: [
      { text: 'How it works', link: '/concepts' },
      { text: 'Production', link: '/production' },
      { text: 'Testing with the stand-in', link: '/testing' },
      { text: 'The CLI and doctor', link: '/cli' },
      { text: 'Performance', link: '/performance' },
      { text: 'Architecture', link: '/architecture' },
    ],
  },
  { text: 'Error reference', link: '/errors' },
  {
    text: 'Packages',
    collapsed: true,
    items: [
      ...packages.map((name) => ({ text: `@explo-embed/${name}`, link: `/packages/${name}` })),
      ...tools.map(([name, link]) => ({ text: `@explo-embed/${name}`, link })),
    ],
  },
  {
    text: 'API',
    link: '/api/',
    collapsed: true,
    items: apiReportNames().map((report) => ({ text: report, link: `/api/${report}` })),
  },
];
