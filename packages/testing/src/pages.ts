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
export function iframePage(input: { jwt: string; environment: string; label: string; initial: unknown }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Explo stand-in</title></head>
<body style="margin:0">
<div id="root"></div>
<script src="/stand-in-client.js"></script>
<script>
  var jwt = ${scriptJson(input.jwt)};
  window.__exploStandIn.mount(document.getElementById('root'), jwt, {
    label: ${scriptJson(input.label)},
    environment: ${scriptJson(input.environment)},
    initial: ${scriptJson(input.initial)},
    // Same origin as this page: it also works when the stand-in is served under Explo's own origin
    // (behind a proxy, or a browser test's request interception).
    verifyUrl: '/api/verify',
    // Explo's iframe tells its parent; it cannot know the parent's origin, hence "*" (nothing secret is sent).
    emitExpired: function () { window.parent.postMessage({ event: 'customerJwtExpired' }, '*'); },
    onUpdate: function (apply) {
      window.addEventListener('message', function (e) {
        if (e.source !== window.parent || !e.data || e.data.event !== 'updateCustomerJwt' || !e.data.detail) return;
        apply(e.data.detail.jwt);
      });
    }
  });
</script>
</body></html>`;
}

/** `/bundle.js`: the `<explo-dashboard dash-jwt>` and `<explo-report-builder jwt>` elements. */
export function bundleScript(clientScript: string): string {
  return `${clientScript}
(function () {
  function define(name, attribute, label) {
    if (customElements.get(name)) return;
    customElements.define(name, class extends HTMLElement {
      connectedCallback() {
        var self = this;
        this.__stop = window.__exploStandIn.mount(this, this.getAttribute(attribute) || '', {
          label: label,
          environment: this.getAttribute('environment') || 'production',
          initial: null,
          emitExpired: function () { window.dispatchEvent(new CustomEvent('customerJwtExpired')); },
          onUpdate: function (apply) {
            self.__listener = function (e) { if (e.detail) apply(e.detail.jwt); };
            window.addEventListener('updateCustomerJwt', self.__listener);
          }
        });
      }
      disconnectedCallback() {
        if (this.__stop) this.__stop();
        if (this.__listener) window.removeEventListener('updateCustomerJwt', this.__listener);
      }
    });
  }
  define('explo-dashboard', 'dash-jwt', 'dashboard, web component');
  define('explo-report-builder', 'jwt', 'report builder, web component');
})();
`;
}
