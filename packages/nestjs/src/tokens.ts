/** Injection token of the shared adapter (core) instance. */
export const EXPLO_ADAPTER = Symbol('EXPLO_ADAPTER');
/** Injection token of the token route's path (or `false`). */
export const EXPLO_ROUTE = Symbol('EXPLO_ROUTE');
/** Metadata: dashboards a handler asks for with `@ExploJwt()`. */
export const EXPLO_JWT_DASHBOARDS = Symbol('EXPLO_JWT_DASHBOARDS');
/** Key for the default dashboard in the per-request results. */
export const DEFAULT_DASHBOARD = Symbol('DEFAULT_DASHBOARD');
