// What app code needs, so one install is enough; the rest of the core API is in @explo-embed/core.
export {
  type CustomerLike,
  type Duration,
  decryptExploJwt,
  type ExploApiOptions,
  type ExploClaimOptions,
  type ExploEmbed,
  ExploEmbedError,
  type ExploEmbedOptions,
  type ExploErrorCode,
  type ExploErrorContext,
  type ExploMintEvent,
  type ExploPublicToken,
  type ExploSecret,
  type ExploSecretProvider,
  type ExploToken,
} from '@explo-embed/core';
export type { ExploLocals, ExploPageResult } from '@explo-embed/core/adapter';
export { sessionCustomer } from './customer.js';
export { ExploJwt, InjectExploAdapter } from './decorators.js';
export { ExploJwtInterceptor } from './interceptor.js';
export { ExploEmbedModule, type ExploEmbedModuleAsyncOptions } from './module.js';
export { EXPLO_MODULE_OPTIONS, type ExploEmbedModuleExtras, type ExploEmbedModuleOptions } from './module-options.js';
export { getExploPage } from './request-state.js';
export { ExploEmbedService } from './service.js';
export { EXPLO_ADAPTER } from './tokens.js';
