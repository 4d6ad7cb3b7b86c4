import { type ExploAdapter, type ExploPageResult, pageLocals } from '@explo-embed/core/adapter';
import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { requestInfo } from './http.js';
import { requestState } from './request-state.js';
import { DEFAULT_DASHBOARD, EXPLO_ADAPTER, EXPLO_JWT_DASHBOARDS, EXPLO_SKIP_ATTACH } from './tokens.js';

type Request = { headers: Record<string, string | string[] | undefined> };

/**
 * Resolves tokens before a handler runs: the ones its `@ExploJwt()` parameters ask for, and, on
 * page requests (the `attach` policy), the page token — also put in `res.locals` on Express.
 * Registered globally by `ExploEmbedModule`. Override `attachToResponse` to put it elsewhere.
 */
@Injectable()
export class ExploJwtInterceptor implements NestInterceptor {
  constructor(
    @Inject(EXPLO_ADAPTER) protected readonly adapter: ExploAdapter<unknown>,
    @Inject(Reflector) protected readonly reflector: Reflector,
    @Inject(HttpAdapterHost) protected readonly host: HttpAdapterHost,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http' || this.reflector.get(EXPLO_SKIP_ATTACH, context.getClass())) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const state = requestState(request);
    const wanted = this.reflector.get<(string | undefined)[] | undefined>(EXPLO_JWT_DASHBOARDS, context.getHandler()) ?? [];
    for (const dashboard of new Set(wanted)) {
      state.dashboards.set(dashboard ?? DEFAULT_DASHBOARD, await this.adapter.pageToken(request, dashboard));
    }
    const page = await this.adapter.attachFor(request, requestInfo(this.host.httpAdapter, request));
    if (page !== undefined) {
      state.page = page;
      state.dashboards.set(DEFAULT_DASHBOARD, state.dashboards.get(DEFAULT_DASHBOARD) ?? page);
      this.attachToResponse(http.getResponse(), page);
    }
    return next.handle();
  }

  /** Puts the page token where templates look for it: `res.locals` on Express (Fastify has none). */
  protected attachToResponse(response: unknown, page: ExploPageResult): void {
    const locals = (response as { locals?: Record<string, unknown> }).locals;
    if (typeof locals === 'object' && locals !== null) Object.assign(locals, pageLocals(page));
  }
}
