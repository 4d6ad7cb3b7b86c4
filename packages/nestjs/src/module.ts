import type { ExploAdapter } from '@explo-embed/core/adapter';
import { createExploAdapter } from '@explo-embed/core/adapter';
import { type ConfigurableModuleAsyncOptions, type DynamicModule, Inject, Module, type NestModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  ConfigurableExploModule,
  EXPLO_MODULE_OPTIONS,
  type ExploEmbedModuleExtras,
  type ExploEmbedModuleOptions,
} from './module-options.js';
import { registerPageAttach } from './platform-hooks.js';
import { ExploEmbedService } from './service.js';
import { createTokenController } from './token-controller.js';
import { EXPLO_ADAPTER, EXPLO_ROUTE } from './tokens.js';

/**
 * Registers the token route, `ExploEmbedService`, `@ExploJwt()`, and the page attach step behind
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
      useFactory: (options: ExploEmbedModuleOptions, route: string | false) => createExploAdapter<unknown>({ ...options, route }),
    },
    ExploEmbedService,
  ],
  exports: [ExploEmbedService, EXPLO_ADAPTER],
})
export class ExploEmbedModule implements NestModule {
  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(EXPLO_ADAPTER) private readonly adapter: ExploAdapter<unknown>,
  ) {}

  /** Nest calls this before it declares routes: the page attach step goes in as the platform's own hook. */
  configure(): void {
    registerPageAttach(this.host.httpAdapter, this.adapter);
  }

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
