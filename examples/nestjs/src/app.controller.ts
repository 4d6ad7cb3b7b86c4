import '@explo-embed/nestjs/session'; // types req.session.customerId
import { ExploEmbedService } from '@explo-embed/nestjs';
import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { dashboardPage, type EmbedTarget, type ExampleConfig, loginPage, validCustomerId } from 'example-support';
import type { Request, Response } from 'express';
import { EMBED_TARGET, EXAMPLE_CONFIG } from './config.token.js';

/** The host app's own routes: health, a login stand-in, and the page that embeds the dashboard. */
@Controller()
export class AppController {
  constructor(
    @Inject(EXAMPLE_CONFIG) private readonly config: ExampleConfig,
    @Inject(EMBED_TARGET) private readonly target: EmbedTarget,
    @Inject(ExploEmbedService) private readonly explo: ExploEmbedService,
  ) {}

  @Get('healthz')
  health() {
    return { status: 'ok' };
  }

  /** Ready when a token can be issued now: for a load balancer's readiness probe. */
  @Get('readyz')
  ready(@Res({ passthrough: true }) res: Response) {
    const health = this.explo.embed.health();
    res.status(health.ready ? 200 : 503);
    return health;
  }

  /** What a host app's front end asks: who is signed in (reads the session, like the token route). */
  @Get('api/me')
  me(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const customerId = req.session.customerId;
    if (customerId) return { customerId };
    res.status(401);
    return { error: 'not signed in' };
  }

  @Post('login')
  @HttpCode(200)
  async login(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Body() body: Record<string, unknown> | undefined) {
    const customerId = validCustomerId(body?.customerId);
    const wantsJson = req.is('application/json') === 'application/json';
    if (customerId === undefined) {
      const message = 'customerId must be 1 to 128 printable characters.';
      res.status(400);
      if (wantsJson) return { error: message };
      res.type('html');
      return loginPage('NestJS', message);
    }
    // A new session id on login, so a session planted before login is worthless.
    await new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
    req.session.customerId = customerId;
    if (wantsJson) return { customerId };
    res.redirect(303, '/');
    return undefined;
  }

  @Post('logout')
  async logout(@Req() req: Request, @Res() res: Response) {
    await new Promise<void>((resolve, reject) => req.session.destroy((error) => (error ? reject(error) : resolve())));
    res.clearCookie('connect.sid');
    if (req.is('application/x-www-form-urlencoded')) res.redirect(303, '/');
    else res.status(204).end();
  }

  @Get()
  page(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Query('mode') mode?: string) {
    res.type('html');
    const customerId = req.session.customerId;
    if (!customerId) return loginPage('NestJS');
    // ExploEmbedModule's interceptor put the token in res.locals, as @explo-embed/express does.
    return dashboardPage({
      framework: 'NestJS',
      customerId,
      jwt: res.locals.exploJwt as string | undefined,
      errorCode: (res.locals.exploError as { code?: string } | undefined)?.code,
      environment: this.config.environment,
      mode: mode === 'web-component' ? 'web-component' : 'iframe',
      ephemeralSecret: this.config.ephemeralSecret,
      expiresAt: (res.locals.exploToken as { expiresAt?: Date } | undefined)?.expiresAt,
      expiresIn: (res.locals.exploToken as { expiresIn?: number } | undefined)?.expiresIn,
      target: this.target,
      nonce: res.locals.cspNonce as string | undefined,
    });
  }
}
