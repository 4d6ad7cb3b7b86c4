import type { RefreshError } from '@explo-embed/browser';
import type { ExploEmbedViewOptions } from '@explo-embed/browser/embed';
import type { Snippet } from 'svelte';

/** Props of `<ExploDashboard>` and `<ExploReportBuilder>`: the browser layer's options, and what to render around it. */
export interface ExploEmbedProps extends ExploEmbedViewOptions {
  /** Accessible name of the iframe. Default `"Explo dashboard"` / `"Explo report builder"`. */
  title?: string | undefined;
  /** Class of the iframe or element. */
  class?: string | undefined;
  /** Style of the iframe or element (with `height="auto"`, the height is the dashboard's own). */
  style?: string | undefined;
  /**
   * The report builder's layout: Explo's rule (a `flex: 1` child of a 100%-high flex column, every
   * ancestor 100% high) applied by a wrapper, so it is not 0 px high. Default false.
   */
  fill?: boolean | undefined;
  /** Shown while there is no token yet. Default: nothing. */
  loading?: Snippet | undefined;
  /** Shown while the first token cannot be had and another try is planned. Default: `loading`. */
  error?: Snippet<[RefreshError]> | undefined;
  /**
   * Shown instead of the embed once it has ended (401: logged out, 403, the token route answered a
   * login page): the error, and `restart` to try again after the user logs in. Default: the embed stays.
   */
  ended?: Snippet<[RefreshError, () => void]> | undefined;
}
