// What app code needs from the core, so one install is enough; the rest is in @explo-embed/core.

export { sessionCustomer } from '@explo-embed/core/adapter';
export * from '@explo-embed/core/app';
export { ExploJwt, InjectExploAdapter } from './decorators.js';
export { ExploJwtInterceptor } from './interceptor.js';
export { ExploEmbedModule, type ExploEmbedModuleAsyncOptions } from './module.js';
export { EXPLO_MODULE_OPTIONS, type ExploEmbedModuleExtras, type ExploEmbedModuleOptions } from './module-options.js';
export { getExploPage } from './request-state.js';
export { ExploEmbedService } from './service.js';
export { EXPLO_ADAPTER } from './tokens.js';
