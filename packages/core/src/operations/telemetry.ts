import type { ExploErrorCode } from '../errors/error-codes.js';

/**
 * What the pipeline tells OpenTelemetry: counters of tokens minted, reused and refused (by code), a
 * histogram of mint time, and spans around API mints and secret fetches. A no-op when
 * `@opentelemetry/api` (an optional peer) is not installed, and cheap when no SDK is registered.
 */
export interface Telemetry {
  minted(minter: 'local' | 'api', durationMs: number): void;
  reused(): void;
  refused(code: ExploErrorCode): void;
  /** A token from shared state failed its checks and was dropped. */
  discarded(source: 'store'): void;
  /** Runs `work` in a span named `name`; its outcome (a code, never a message) is recorded. */
  span<T>(name: string, work: () => Promise<T>): Promise<T>;
}

// The part of @opentelemetry/api used here, written out so that no public type depends on the
// package: apps without it compile and load as before.
type Attributes = Record<string, string>;
/** A span, as far as it is used here. */
export interface Span {
  setAttribute(key: string, value: string): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}
/** The part of `@opentelemetry/api` used here: its module on Node, its global registry on the edge. */
export interface OtelApi {
  metrics: {
    getMeter(name: string): {
      createCounter(name: string, options?: object): { add(value: number, attributes?: Attributes): void };
      createHistogram(name: string, options?: object): { record(value: number, attributes?: Attributes): void };
    };
  };
  trace: { getTracer(name: string): { startActiveSpan<T>(name: string, run: (span: Span) => T): T } };
  SpanStatusCode: { ERROR: number };
}

const NO_TELEMETRY: Telemetry = Object.freeze({
  minted: () => {},
  reused: () => {},
  refused: () => {},
  discarded: () => {},
  span: <T>(_name: string, work: () => Promise<T>) => work(),
});

/**
 * Instruments for one embed, from the app's registered MeterProvider and TracerProvider (register
 * them first). `otel` is what the runtime's entry found of `@opentelemetry/api` (see `platform/`).
 */
export function createTelemetry(otel: OtelApi | undefined): Telemetry {
  if (otel === undefined) return NO_TELEMETRY;
  const meter = otel.metrics.getMeter('@explo-embed/core');
  const tracer = otel.trace.getTracer('@explo-embed/core');
  const mintedCounter = meter.createCounter('explo_embed.tokens.minted', { description: 'Tokens minted (not reused)' });
  const reusedCounter = meter.createCounter('explo_embed.tokens.reused', { description: 'Tokens handed out again' });
  const discardedCounter = meter.createCounter('explo_embed.tokens.discarded', {
    description:
      'Tokens read back from shared state that failed their checks (another customer, expired, too long-lived, a foreign key)',
  });
  const refusedCounter = meter.createCounter('explo_embed.tokens.refused', {
    description: 'Requests that got no token, by error code',
  });
  const mintTime = meter.createHistogram('explo_embed.mint.duration', {
    description: 'Time to mint one token',
    unit: 'ms',
  });
  const end = (span: Span, code: string | undefined) => {
    if (code !== undefined) {
      span.setAttribute('explo_embed.error.code', code);
      span.setStatus({ code: otel.SpanStatusCode.ERROR, message: code });
    }
    span.end();
  };
  return {
    minted(minter, durationMs) {
      mintedCounter.add(1, { 'explo_embed.minter': minter });
      mintTime.record(durationMs, { 'explo_embed.minter': minter });
    },
    reused: () => reusedCounter.add(1),
    refused: (code) => refusedCounter.add(1, { 'explo_embed.error.code': code }),
    discarded: (source) => discardedCounter.add(1, { 'explo_embed.source': source }),
    span: (name, work) =>
      tracer.startActiveSpan(name, async (span) => {
        try {
          const result = await work();
          end(span, undefined);
          return result;
        } catch (error) {
          end(
            span,
            typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'ERR_EXPLO_INTERNAL',
          );
          throw error;
        }
      }),
  };
}
