import { webEncrypter } from '../jwe/encrypt-web.js';
import type { OtelApi } from '../operations/telemetry.js';
import type { Platform } from './platform.js';

// Where @opentelemetry/api 1.x keeps the providers an app registered, so that every copy of the
// package in a process finds them: an edge bundle cannot require an optional package that may not
// be there, but it can read what the app's own copy registered.
const OTEL_REGISTRY = Symbol.for('opentelemetry.js.api.1');
const SPAN_STATUS_ERROR = 2; // SpanStatusCode.ERROR

// What an app registered only one of (metrics or traces) leaves the other to these.
const NO_METRICS: OtelApi['metrics'] = {
  getMeter: () => ({ createCounter: () => ({ add: () => {} }), createHistogram: () => ({ record: () => {} }) }),
};
const NO_SPAN = { setAttribute: () => NO_SPAN, setStatus: () => NO_SPAN, end: () => {} };
const NO_TRACES: OtelApi['trace'] = { getTracer: () => ({ startActiveSpan: (_name, run) => run(NO_SPAN) }) };

/** Edge runtimes (Vercel Edge, Next.js middleware, workerd, Deno): Web Crypto only, no TCP, no diagnostics channels. */
export const webPlatform: Platform = Object.freeze({
  name: 'edge',
  encrypter: webEncrypter,
  channels: undefined,
  loadOtel(): OtelApi | undefined {
    const registry = (globalThis as Record<symbol, unknown>)[OTEL_REGISTRY] as
      | { metrics?: OtelApi['metrics']; trace?: OtelApi['trace'] }
      | undefined;
    const { metrics, trace } = registry ?? {};
    if (metrics === undefined && trace === undefined) return undefined;
    return { metrics: metrics ?? NO_METRICS, trace: trace ?? NO_TRACES, SpanStatusCode: { ERROR: SPAN_STATUS_ERROR } };
  },
  loadRedis: undefined,
});
