import { createExploAdapter } from '@explo-embed/core/adapter';
import { type ConfigurableModuleAsyncOptions, type DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { sessionCustomer } from './customer.js';
import { ExploJwtInterceptor } from './interceptor.js';
import {
  ConfigurableExploModule,
  EXPLO_MODULE_OPTIONS,
  type ExploEmbedModuleExtras,
  type ExploEmbedModuleOptions,
} from './module-options.js';
import { ExploEmbedService } from './service.js';
import { createTokenController } from './token-controller.js';
import { EXPLO_ADAPTER, EXPLO_ROUTE } from './tokens.js';

/**
 * Registers the token route, `ExploEmbedService`, and the interceptor behind `@ExploJwt()` and
 * `res.locals.exploJwt`.
 *
 * @example
 * ExploEmbedModule.forRoot({ secret: { keyId, keyValue }, dashboards: { sales: 'a1b2c3d4' } })
 * ExploEmbedModule.forRootAsync({
 *   imports: [ConfigModule], inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ secret: { keyId: config.getOrThrow('EXPLO_KEY_ID'), keyValue: config.getOrThrow('EXPLO_KEY_VALUE') }, dashboards: { sales: 'a1b2c3d4' } }),
 * })
 */
@Module({
  providers: [
    {
      provide: EXPLO_ADAPTER,
      inject: [EXPLO_MODULE_OPTIONS, EXPLO_ROUTE],
      useFactory: (options: ExploEmbedModuleOptions, route: string | false) =>
        createExploAdapter<unknown>({ ...options, route }, sessionCustomer),
    },
    ExploEmbedService,
    { provide: APP_INTERCEPTOR, useClass: ExploJwtInterceptor },
  ],
  exports: [ExploEmbedService, EXPLO_ADAPTER],
})
export class ExploEmbedModule {
  /** The module with fixed options (validated at once; a bad one throws a coded error). */
  static forRoot(options: ExploEmbedModuleOptions & ExploEmbedModuleExtras): DynamicModule {
    return withRoute(ConfigurableExploModule.forRoot(options), options.route, options.isGlobal);
  }

  /** The module with options from a factory (`ConfigService`, a vault...), validated when it resolves. */
  static forRootAsync(options: ExploEmbedModuleAsyncOptions): DynamicModule {
    return withRoute(ConfigurableExploModule.forRootAsync(options), options.route, options.isGlobal);
  }
}

/** Options of `ExploEmbedModule.forRootAsync`: Nest's `useFactory` / `useClass` / `useExisting`, plus `route` and `isGlobal`. */
export type ExploEmbedModuleAsyncOptions = ConfigurableModuleAsyncOptions<ExploEmbedModuleOptions> & ExploEmbedModuleExtras;

function withRoute(
  definition: DynamicModule,
  route: string | false | undefined = '/explo/token',
  isGlobal = true,
): DynamicModule {
  return {
    ...definition,
    // The builder's definition names its own class; this module carries the providers.
    module: ExploEmbedModule,
    global: isGlobal,
    controllers: [...(definition.controllers ?? []), ...(route === false ? [] : [createTokenController(route)])],
    providers: [...(definition.providers ?? []), { provide: EXPLO_ROUTE, useValue: route }],
  };
}
