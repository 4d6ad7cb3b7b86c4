'use client';

import type { RefreshError } from '@explo-embed/browser';
import {
  createExploEmbedController,
  EXPLO_FILL,
  type ExploEmbedKind,
  type ExploEmbedViewOptions,
  exploControllerKey,
  exploEmbedElement,
  exploEmbedStyle,
  exploShownJwt,
} from '@explo-embed/browser/embed';
import {
  type CSSProperties,
  createElement,
  type ReactNode,
  useCallback,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from 'react';
import type {} from './jsx.js';

/** Props of {@link ExploDashboard} and {@link ExploReportBuilder}: the browser layer's options, and what to render around it. */
export interface ExploEmbedProps extends ExploEmbedViewOptions {
  /** Accessible name of the iframe. Default `"Explo dashboard"` / `"Explo report builder"`. */
  title?: string | undefined;
  /** Class of the iframe or element. */
  className?: string | undefined;
  /** Style of the iframe or element (with `height="auto"`, the height is the dashboard's own). */
  style?: CSSProperties | undefined;
  /**
   * The report builder's layout: Explo's rule (a `flex: 1` child of a 100%-high flex column, every
   * ancestor 100% high) applied by a wrapper, so it is not 0 px high. Default false.
   */
  fill?: boolean | undefined;
  /** Shown while there is no token yet. Default: nothing. */
  loading?: ReactNode;
  /** Shown while the first token cannot be had and another try is planned. Default: `loading`. */
  error?: ((error: RefreshError) => ReactNode) | undefined;
  /**
   * Shown instead of the embed once it has ended (401: logged out, 403, the token route answered a
   * login page): the error, and `restart` to try again after the user logs in. Default: the embed stays.
   */
  ended?: ((error: RefreshError, restart: () => void) => ReactNode) | undefined;
}

/** One Explo embed: renders the browser layer's status, and hands it the element. */
export function ExploEmbedView({ kind, ...props }: ExploEmbedProps & { kind: ExploEmbedKind }): ReactNode {
  // A new controller when what it is made of changes (the token is read once, by design); callbacks and
  // variables reach it on every render.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the browser layer lists what a controller is made of (always 11 values).
  const controller = useMemo(() => createExploEmbedController(props), exploControllerKey(props));
  controller.update({ variables: props.variables, onLoad: props.onLoad, onError: props.onError, onToken: props.onToken });
  const status = useSyncExternalStore(
    controller.subscribe,
    () => controller.status,
    () => controller.status,
  );
  useEffect(() => controller.start(), [controller]);
  const [element, setElement] = useState<HTMLElement | null>(null);
  const jwt = exploShownJwt(status);
  const shown = jwt !== undefined;
  useEffect(() => (shown && element ? controller.attach(element) : undefined), [controller, shown, element]);
  const restart = useCallback(() => controller.restart(), [controller]);

  if (status.state === 'ended' && props.ended) return props.ended(status.error, restart);
  if (jwt === undefined) return status.state === 'retrying' && props.error ? props.error(status.error) : (props.loading ?? null);
  const style: CSSProperties = { ...exploEmbedStyle(props), ...props.style };
  const { tag, attributes } = exploEmbedElement(kind, jwt, props);
  const view =
    tag === 'iframe'
      ? createElement(tag, { ref: setElement, ...attributes, className: props.className, style })
      : // `class`, not `className`: React 18 sets a custom element's props as attributes by their own names.
        createElement(tag, { ref: setElement, ...attributes, class: props.className, style });
  return props.fill === true ? createElement('div', { style: EXPLO_FILL.parent }, view) : view;
}
