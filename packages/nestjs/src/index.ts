// One install for Nest users: the core API (errors, decryptExploJwt, types) comes along.
export * from '@explo-embed/core';
export { sessionCustomer } from './customer.js';
export { ExploJwt, InjectExploAdapter } from './decorators.js';
export { ExploJwtInterceptor } from './interceptor.js';
export { ExploEmbedModule } from './module.js';
export { EXPLO_MODULE_OPTIONS, type ExploEmbedModuleExtras, type ExploEmbedModuleOptions } from './module-options.js';
export { type ExploRequestState, getExploPage } from './request-state.js';
export { ExploEmbedService } from './service.js';
export { EXPLO_ADAPTER } from './tokens.js';
