import type { ExploEvents, FreshToken, RefreshError } from '@explo-embed/browser';
import {
  createExploEmbedController,
  EXPLO_CONTROLLER_OPTIONS,
  EXPLO_FILL,
  type ExploEmbedKind,
  type ExploEmbedStatus,
  type ExploEmbedViewOptions,
  exploControllerKey,
  exploEmbedElement,
  exploEmbedStyle,
  exploShownJwt,
} from '@explo-embed/browser/embed';
import {
  type ComponentObjectPropsOptions,
  computed,
  type DefineSetupFnComponent,
  defineComponent,
  h,
  onMounted,
  type SetupContext,
  type SlotsType,
  type StyleValue,
  shallowRef,
  toRaw,
  type VNode,
  type VNodeChild,
  watch,
} from 'vue';

/**
 * Props of {@link ExploDashboard} and {@link ExploReportBuilder}: the browser layer's options (its
 * callbacks are this component's events), and what to render around it. `class`, `style` and other
 * attributes go to the iframe or element.
 */
export interface ExploEmbedProps extends Omit<ExploEmbedViewOptions, 'onLoad' | 'onError' | 'onToken'> {
  /** Accessible name of the iframe. Default `"Explo dashboard"` / `"Explo report builder"`. */
  title?: string | undefined;
  /**
   * The report builder's layout: Explo's rule (a `flex: 1` child of a 100%-high flex column, every
   * ancestor 100% high) applied by a wrapper, so it is not 0 px high. Default false.
   */
  fill?: boolean | undefined;
}

/** Events of {@link ExploDashboard} and {@link ExploReportBuilder}: `@load`, `@error`, `@token`. */
export type ExploEmbedEmits = {
  /** The dashboard has loaded (Explo's `dashboardLoaded`). */
  load: (detail: ExploEvents['dashboardLoaded']) => true;
  /** Every failure to get a token; `willRetry: false` means the embed has ended. */
  error: (error: RefreshError) => true;
  /** Every token the embed received. */
  token: (token: FreshToken) => true;
};

/** Slots of {@link ExploDashboard} and {@link ExploReportBuilder}. */
export interface ExploEmbedSlots {
  /** Shown while there is no token yet. Default: nothing. */
  loading?: () => VNodeChild;
  /** Shown while the first token cannot be had and another try is planned. Default: `loading`. */
  error?: (props: { error: RefreshError }) => VNodeChild;
  /**
   * Shown instead of the embed once it has ended (401: logged out, 403, the token route answered a
   * login page): the error, and `restart` to try again after the user logs in. Default: the embed stays.
   */
  ended?: (props: { error: RefreshError; restart: () => void }) => VNodeChild;
}

const PROPS: ComponentObjectPropsOptions<ExploEmbedProps> = {
  ...Object.fromEntries(EXPLO_CONTROLLER_OPTIONS.map((name) => [name, null])),
  token: null,
  tokenRequest: null,
  variables: null,
  title: null,
  fill: { type: Boolean, default: false },
};
const EMITS = ['load', 'error', 'token'] as unknown as ExploEmbedEmits;

/** The type of {@link ExploDashboard} and {@link ExploReportBuilder}: their props, events and slots. */
export type ExploEmbedComponent = DefineSetupFnComponent<ExploEmbedProps, ExploEmbedEmits, SlotsType<ExploEmbedSlots>>;

/** One Explo embed's component: renders the browser layer's status, and hands it the element. */
export function exploEmbedComponent(kind: ExploEmbedKind, name: string): ExploEmbedComponent {
  return defineComponent(
    (props: ExploEmbedProps, { emit, slots, attrs }: SetupContext<ExploEmbedEmits, SlotsType<ExploEmbedSlots>>) => {
      // A new controller when what it is made of changes (the token is read once, by design).
      const controller = computed(() => {
        exploControllerKey(props);
        // Read untracked (toRaw): the token and variables make no new controller.
        const options = toRaw(props);
        return createExploEmbedController({
          ...options,
          variables: toRaw(options.variables),
          onLoad: (detail) => emit('load', detail),
          onError: (error) => emit('error', error),
          onToken: (token) => emit('token', token),
        });
      });
      const status = shallowRef<ExploEmbedStatus>(controller.value.status);
      const element = shallowRef<HTMLElement | null>(null);
      const jwt = computed(() => exploShownJwt(status.value));
      const restart = () => controller.value.restart();

      // Only in the browser: on the server nothing subscribes, fetches or touches the page.
      onMounted(() => {
        watch(
          controller,
          (current, _, onCleanup) => {
            status.value = current.status;
            const off = current.subscribe(() => {
              status.value = current.status;
            });
            onCleanup(off);
            onCleanup(current.start());
          },
          { immediate: true },
        );
        watch(
          () => JSON.stringify(props.variables ?? {}),
          () => controller.value.update({ variables: toRaw(props.variables) }),
        );
        watch(
          [controller, () => jwt.value !== undefined, element],
          ([current, shown, el], _, onCleanup) => {
            if (shown && el) onCleanup(current.attach(el));
          },
          { immediate: true, flush: 'post' },
        );
      });

      return (): VNode | VNodeChild => {
        const current = status.value;
        if (current.state === 'ended' && slots.ended) return slots.ended({ error: current.error, restart });
        const token = jwt.value;
        if (token === undefined)
          return current.state === 'retrying' && slots.error ? slots.error({ error: current.error }) : slots.loading?.();
        return render(kind, token, props, attrs, element);
      };
    },
    // `slots` is for the types only (what templates may put in each slot).
    { name, props: PROPS, emits: EMITS, slots: {} as SlotsType<ExploEmbedSlots>, inheritAttrs: false },
  );
}

function render(
  kind: ExploEmbedKind,
  jwt: string,
  props: ExploEmbedProps,
  attrs: Record<string, unknown>,
  ref: ReturnType<typeof shallowRef<HTMLElement | null>>,
): VNode {
  const own = exploEmbedStyle(props);
  const style: StyleValue = attrs.style ? [own, attrs.style as StyleValue] : Object.keys(own).length > 0 ? own : undefined;
  // The host's attributes (class, id, data-*), and a style only when there is one (else `style=""` on the server).
  const common = { ...attrs, ...(style === undefined ? {} : { style }), ref };
  const { tag, attributes } = exploEmbedElement(kind, jwt, props);
  const view =
    tag === 'iframe'
      ? h(tag, { ...common, ...attributes })
      : // `^`: set as attributes (Explo's element reads attributes), whatever properties it defines.
        h(tag, { ...common, ...Object.fromEntries(Object.entries(attributes).map(([key, value]) => [`^${key}`, value])) });
  return props.fill ? h('div', { style: EXPLO_FILL.parent }, [view]) : view;
}
