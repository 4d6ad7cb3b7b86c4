/** Escapes text for HTML. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The iframe page at Explo's URL shape: `/iframe/<jwt>/<environment>`. */
export function iframePage(input: {
  jwt: string;
  environment: string;
  label: string;
  initial: unknown;
  height: number | null;
}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Explo stand-in</title></head>
<body style="margin:0">
<div id="root"></div>
<script src="/stand-in-client.js"></script>
<script>
  var jwt = ${scriptJson(input.jwt)};
  function fromParent(name, handle) {
    window.addEventListener('message', function (e) {
      if (e.source === window.parent && e.data && e.data.event === name && e.data.detail) handle(e.data.detail);
    });
  }
  window.__exploStandIn.mount(document.getElementById('root'), jwt, {
    label: ${scriptJson(input.label)},
    environment: ${scriptJson(input.environment)},
    initial: ${scriptJson(input.initial)},
    height: ${scriptJson(input.height)},
    // Same origin as this page: it also works when the stand-in is served under Explo's own origin
    // (behind a proxy, or a browser test's request interception).
    verifyUrl: '/api/verify',
    eventsUrl: '/api/events',
    // Explo's iframe tells its parent; it cannot know the parent's origin, hence "*" (nothing secret is sent).
    emitExpired: function () { window.parent.postMessage({ event: 'customerJwtExpired' }, '*'); },
    emit: function (event, detail) { window.parent.postMessage({ event: event, detail: detail }, '*'); },
    onUpdate: function (apply) { fromParent('updateCustomerJwt', function (d) { apply(d.jwt); }); },
    onVariables: function (apply) {
      fromParent('updateExploDashboardVariable', function (d) { apply([d]); });
      fromParent('updateExploDashboardVariables', function (d) { apply(d.variables); });
    }
  });
</script>
</body></html>`;
}

/**
 * `/bundle.js`: the `<explo-dashboard dash-jwt>` and `<explo-report-builder jwt>` elements. Each
 * announces its events on itself (bubbling, so `window` listeners as in Explo's docs hear them) and
 * takes what is dispatched on itself, or on `window` for every element. `height`: the one set with
 * `setHeight()`, or null.
 */
export function bundleScript(clientScript: string, height: number | null): string {
  return `${clientScript}
(function () {
  function define(name, attribute, label) {
    if (customElements.get(name)) return;
    customElements.define(name, class extends HTMLElement {
      connectedCallback() {
        var self = this;
        self.__listeners = [];
        function listen(name, handle) {
          var own = function (e) { if (e.detail) handle(e.detail); };
          var global = function (e) { if (e.target === window && e.detail) handle(e.detail); };
          self.addEventListener(name, own);
          window.addEventListener(name, global);
          self.__listeners.push(function () { self.removeEventListener(name, own); window.removeEventListener(name, global); });
        }
        function emit(name, detail) { self.dispatchEvent(new CustomEvent(name, { detail: detail, bubbles: true, composed: true })); }
        this.__stop = window.__exploStandIn.mount(this, this.getAttribute(attribute) || '', {
          label: label,
          environment: this.getAttribute('environment') || 'production',
          initial: null,
          height: ${JSON.stringify(height)},
          emitExpired: function () { emit('customerJwtExpired', {}); },
          emit: emit,
          onUpdate: function (apply) { listen('updateCustomerJwt', function (d) { apply(d.jwt); }); },
          onVariables: function (apply) {
            listen('updateExploDashboardVariable', function (d) { apply([d]); });
            listen('updateExploDashboardVariables', function (d) { apply(d.variables); });
          }
        });
      }
      disconnectedCallback() {
        if (this.__stop) this.__stop();
        (this.__listeners || []).forEach(function (off) { off(); });
      }
    });
  }
  define('explo-dashboard', 'dash-jwt', 'dashboard, web component');
  define('explo-report-builder', 'jwt', 'report builder, web component');
})();
`;
}
