import { createExploAdapter } from '@explo-embed/core/adapter';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { sessionCustomer } from './customer.js';
import { ExploJwtInterceptor } from './interceptor.js';
import {
  ConfigurableExploModule,
  type EXPLO_ASYNC_OPTIONS_TYPE,
  EXPLO_MODULE_OPTIONS,
  type EXPLO_OPTIONS_TYPE,
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
export class ExploEmbedModule extends ConfigurableExploModule {
  static override forRoot(options: typeof EXPLO_OPTIONS_TYPE): DynamicModule {
    // biome-ignore lint/complexity/noThisInStatic: `super` keeps `this` = ExploEmbedModule, which the builder uses as `module`.
    return withRoute(super.forRoot(options), options.route, options.isGlobal);
  }

  static override forRootAsync(options: typeof EXPLO_ASYNC_OPTIONS_TYPE): DynamicModule {
    // biome-ignore lint/complexity/noThisInStatic: as above.
    return withRoute(super.forRootAsync(options), options.route, options.isGlobal);
  }
}

function withRoute(
  definition: DynamicModule,
  route: string | false | undefined = '/explo/token',
  isGlobal = true,
): DynamicModule {
  return {
    ...definition,
    global: isGlobal,
    controllers: [...(definition.controllers ?? []), ...(route === false ? [] : [createTokenController(route)])],
    providers: [...(definition.providers ?? []), { provide: EXPLO_ROUTE, useValue: route }],
  };
}
