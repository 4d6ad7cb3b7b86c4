import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { All, Controller, type INestApplication, Module, type ModuleMetadata, Req, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { RunningServer } from '../../../test/support/http.js';
import { getExploPage } from '../src/index.js';

export type Platform = 'express' | 'fastify';

/** Answers what the attach step produced: res.locals on Express, getExploPage() on Fastify. */
@Controller()
export class PageController {
  @All('page')
  page(@Req() request: object, @Res({ passthrough: true }) response: { locals?: Record<string, { code?: string } | string> }) {
    if (/[?&]read=0(&|$)/.test((request as { url?: string }).url ?? '')) return { read: false };
    if (response.locals) {
      const error = response.locals.exploError as { code?: string } | undefined;
      return { exploJwt: response.locals.exploJwt ?? null, exploError: error?.code ?? null };
    }
    const page = getExploPage(request);
    return { exploJwt: page?.token?.jwt ?? null, exploError: page?.error?.code ?? null };
  }
}

/** Boots a Nest app on loopback on the given platform. */
export async function startNest(
  platform: Platform,
  metadata: ModuleMetadata,
  setup?: (app: INestApplication) => void,
): Promise<RunningServer & { app: INestApplication }> {
  @Module(metadata)
  class AppModule {}
  const app =
    platform === 'express'
      ? await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false, abortOnError: false })
      : await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false, abortOnError: false });
  setup?.(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
