/** Injection token of the example's configuration. */
export const EXAMPLE_CONFIG = Symbol('EXAMPLE_CONFIG');
/** Injection token of where dashboards are embedded from (Explo or the stand-in). */
export const EMBED_TARGET = Symbol('EMBED_TARGET');
