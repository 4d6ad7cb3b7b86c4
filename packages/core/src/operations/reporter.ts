import type { ExploEmbedError } from '../errors/errors.js';
import type { MintedToken, MintInput } from '../model/token.js';
import type { ExploErrorContext, ExploLogger, ExploMintEvent } from '../options/options.js';
import { createMisconfigLog } from './misconfig-log.js';
import type { Telemetry } from './telemetry.js';

/** Where the pipeline tells the host app what happened: `onMint` and `onError`, called safely. */
export interface Reporter {
  /** A new token was minted (not a reused one), in `durationMs`. The event is built only when someone listens. */
  minted(input: MintInput, token: MintedToken, durationMs: number, minter: 'local' | 'api'): void;
  /** A token was handed out again. */
  reused(): void;
  /** A token read back from shared state failed its checks and was dropped (then minted anew). */
  discarded(source: 'store'): void;
  /** An error was handled (turned into a response, a page without a token, or a stale secret). */
  failed(error: ExploEmbedError, context: ExploErrorContext): void;
}

/**
 * Node diagnostics channels with the same events, for tools that watch every instance in a process
 * (APM agents, test recorders): `explo-embed:mint` gets `{ event }`, `explo-embed:error` gets
 * `{ error, context }`. Publishing costs nothing while nobody subscribes. The edge entry has none.
 */
export const DIAGNOSTICS_CHANNELS = Object.freeze({ mint: 'explo-embed:mint', error: 'explo-embed:error' });

/** The part of a diagnostics channel used here. */
export interface DiagnosticsChannel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

/** The two channels of {@link DIAGNOSTICS_CHANNELS}, where the runtime has them. */
export interface DiagnosticsChannels {
  readonly mint: DiagnosticsChannel;
  readonly error: DiagnosticsChannel;
}

const SILENT: DiagnosticsChannel = Object.freeze({ hasSubscribers: false, publish: () => {} });

/**
 * The host's hooks and the misconfiguration log behind one {@link Reporter}. A hook that throws
 * is ignored: observers cannot break minting.
 */
export function createReporter(hooks: {
  onMint: ((event: ExploMintEvent) => void) | undefined;
  onError: ((error: ExploEmbedError, context: ExploErrorContext) => void) | undefined;
  logger: ExploLogger | false;
  clock: () => number;
  telemetry: Telemetry;
  channels: DiagnosticsChannels | undefined;
}): Reporter {
  const { onMint, onError, telemetry } = hooks;
  const { mint: mintChannel, error: errorChannel } = hooks.channels ?? { mint: SILENT, error: SILENT };
  const log = createMisconfigLog(hooks.logger, hooks.clock);
  return {
    minted({ customerId, dashboard, embedId }, { keyId, expMs }, durationMs, minter) {
      telemetry.minted(minter, durationMs);
      if (onMint === undefined && !mintChannel.hasSubscribers) return;
      const event: ExploMintEvent = { customerId, dashboard, embedId, keyId, expiresAt: new Date(expMs) };
      if (mintChannel.hasSubscribers) mintChannel.publish({ event });
      try {
        onMint?.(event);
      } catch {
        // Hooks observe; they cannot break minting.
      }
    },
    reused: () => telemetry.reused(),
    discarded: (source) => telemetry.discarded(source),
    failed(error, context) {
      // A request that got no token; background failures (a provider, a store) are not refusals.
      if (context.phase === 'route' || context.phase === 'page') telemetry.refused(error.code);
      if (errorChannel.hasSubscribers) errorChannel.publish({ error, context });
      log(error, context);
      try {
        onError?.(error, context);
      } catch {
        // A logging hook must not turn a handled error into a crash.
      }
    },
  };
}
