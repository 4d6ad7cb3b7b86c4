import { type ExploAdapter, type ExploPageResult, pageHeaders } from '@explo-embed/core/adapter';
import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { from, type Observable, switchMap } from 'rxjs';
import { dashboardResult, setDashboardResult } from './request-state.js';
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
    @Inject(HttpAdapterHost) protected readonly host: HttpAdapterHost,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const wanted = this.reflector.get<(string | undefined)[] | undefined>(EXPLO_JWT_DASHBOARDS, context.getHandler()) ?? [];
    const http = context.switchToHttp();
    const resolved = this.resolve(http.getRequest<object>(), wanted).then((results) => {
      // A response carrying a customer's token is never for a shared cache.
      const token = results.find((result) => result.token !== undefined);
      for (const [name, value] of Object.entries(token ? pageHeaders(token) : {})) {
        this.host.httpAdapter.setHeader(http.getResponse(), name, value);
      }
    });
    return from(resolved).pipe(switchMap(() => next.handle()));
  }

  /** Puts a token result for each wanted dashboard (`undefined`: the default one) on the request, and returns them. */
  protected async resolve(request: object, wanted: readonly (string | undefined)[]): Promise<ExploPageResult[]> {
    const results: ExploPageResult[] = [];
    for (const dashboard of new Set(wanted)) {
      const key = dashboard ?? DEFAULT_DASHBOARD;
      let result = dashboardResult(request, key);
      if (result === undefined) {
        result = await this.adapter.page(request, { dashboard });
        setDashboardResult(request, key, result);
      }
      results.push(result);
    }
    return results;
  }
}
