import { createParamDecorator, type ExecutionContext, Inject, UseInterceptors } from '@nestjs/common';
import { ExploJwtInterceptor } from './interceptor.js';
import { dashboardResult } from './request-state.js';
import { DEFAULT_DASHBOARD, EXPLO_ADAPTER, EXPLO_JWT_DASHBOARDS } from './tokens.js';

const exploJwtParam = createParamDecorator((dashboard: string | undefined, context: ExecutionContext) => {
  return dashboardResult(context.switchToHttp().getRequest<object>(), dashboard ?? DEFAULT_DASHBOARD)?.token?.jwt;
});

/**
 * Injects the Explo token (a `string`, or `undefined` when there is no customer or no token could
 * be had) for `dashboard` (default: the default dashboard) into a handler parameter, on the
 * Express and Fastify platforms alike.
 *
 * @example
 * @Get('reports') reports(@ExploJwt('ops') jwt?: string) { ... }
 */
export function ExploJwt(dashboard?: string): ParameterDecorator {
  return (target, key, index) => {
    if (key !== undefined) {
      const handler = (target as Record<string | symbol, object>)[key] as object;
      const wanted: (string | undefined)[] = Reflect.getMetadata(EXPLO_JWT_DASHBOARDS, handler) ?? [];
      Reflect.defineMetadata(EXPLO_JWT_DASHBOARDS, [...wanted, dashboard], handler);
      // The interceptor that resolves the tokens runs on this handler only, once however many parameters ask.
      if (wanted.length === 0) {
        UseInterceptors(ExploJwtInterceptor)(target, key, Object.getOwnPropertyDescriptor(target, key) as PropertyDescriptor);
      }
    }
    exploJwtParam(dashboard)(target, key, index);
  };
}

/** Injects the shared adapter; most code wants `ExploEmbedService` instead. */
export const InjectExploAdapter = (): PropertyDecorator & ParameterDecorator => Inject(EXPLO_ADAPTER);
