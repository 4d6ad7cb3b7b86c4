import type { ExploAdapter } from '@explo-embed/core/adapter';
import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, type Observable, switchMap } from 'rxjs';
import { requestState } from './request-state.js';
import { DEFAULT_DASHBOARD, EXPLO_ADAPTER, EXPLO_JWT_DASHBOARDS } from './tokens.js';

/**
 * Resolves the tokens a handler's `@ExploJwt()` parameters ask for, before it runs. `@ExploJwt()`
 * puts it on its own handler only, so routes that do not ask pay nothing. The page token attached
 * to the request is reused for the default dashboard. Override `resolve` to change how.
 */
@Injectable()
export class ExploJwtInterceptor implements NestInterceptor {
  constructor(
    @Inject(EXPLO_ADAPTER) protected readonly adapter: ExploAdapter<unknown>,
    @Inject(Reflector) protected readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const wanted = this.reflector.get<(string | undefined)[] | undefined>(EXPLO_JWT_DASHBOARDS, context.getHandler()) ?? [];
    return from(this.resolve(context.switchToHttp().getRequest<object>(), wanted)).pipe(switchMap(() => next.handle()));
  }

  /** Puts a token result for each wanted dashboard (`undefined`: the default one) on the request. */
  protected async resolve(request: object, wanted: readonly (string | undefined)[]): Promise<void> {
    const state = requestState(request);
    for (const dashboard of new Set(wanted)) {
      const key = dashboard ?? DEFAULT_DASHBOARD;
      if (!state.dashboards.has(key)) state.dashboards.set(key, await this.adapter.pageToken(request, dashboard));
    }
  }
}
