import 'reflect-metadata';
import { ConsoleLogger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { cspNonce, type EmbedTarget, EXPLO, type ExampleConfig, exampleCspDirectives } from 'example-support';
import type { Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { AppModule } from './app.module.js';

/** Logs errors as one line: a misconfiguration reads as its coded message, not a stack trace. */
class OneLineLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    const line = message instanceof Error ? `${message.name}: ${message.message}` : message;
    super.error(line, ...rest.filter((part) => !(part instanceof Error) && !(typeof part === 'string' && /\n\s+at /.test(part))));
  }
}

/** Builds the Nest app (Express platform) with express-session. Rejects with coded errors on bad options. */
export async function createApp(config: ExampleConfig, target: EmbedTarget = EXPLO, logger = true): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, target), new ExpressAdapter(), {
    logger: logger ? new OneLineLogger({ logLevels: ['error', 'warn'] }) : false,
    abortOnError: false,
    bodyParser: false,
  });
  app.disable('x-powered-by');
  // A Content-Security-Policy that lets the embed (Explo, or the stand-in) in and nothing else;
  // the page's inline scripts carry this response's nonce.
  app.use((_req: unknown, res: Response, next: () => void) => {
    res.locals.cspNonce = cspNonce();
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: exampleCspDirectives(target, (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`),
      },
    }),
  );
  // A login form needs no more; a larger body is a 413, malformed JSON a 400 (body-parser's own statuses).
  app.useBodyParser('json', { limit: '4kb' });
  app.useBodyParser('urlencoded', { limit: '4kb', extended: false });
  app.use(
    session({
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );
  return app;
}
