import type { ExploAdapterOptions } from '@explo-embed/core/adapter';
import { ConfigurableModuleBuilder } from '@nestjs/common';

/**
 * Options of `ExploEmbedModule.forRoot` / the `useFactory` of `forRootAsync`: every
 * `@explo-embed/core` option plus `customer(request)` and `attach`. `route` and `isGlobal` are
 * given beside them (also in `forRootAsync`), because the route is registered when the module is
 * defined.
 */
export type ExploEmbedModuleOptions = Omit<ExploAdapterOptions<unknown>, 'route'>;

/** Options fixed when the module is defined. */
export interface ExploEmbedModuleExtras {
  /** Path of the token route. Default `"/explo/token"`; `false` registers none. */
  route?: string | false;
  /** Register the module globally (default `true`), so `ExploEmbedService` is injectable everywhere. */
  isGlobal?: boolean;
}

/** Injection token of the validated module options. */
export const { ConfigurableModuleClass: ConfigurableExploModule, MODULE_OPTIONS_TOKEN: EXPLO_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<ExploEmbedModuleOptions>({ moduleName: 'ExploEmbed' })
    .setClassMethodName('forRoot')
    .setExtras<ExploEmbedModuleExtras>({ route: '/explo/token', isGlobal: true }, (definition) => definition)
    .build();
