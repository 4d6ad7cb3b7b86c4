/**
 * The stand-in's browser code, shared by the iframe page and the `<explo-dashboard>` element.
 * Plain ES2020 in a string: it is served as is, with no build step.
 */
export const CLIENT_SCRIPT = `
(function () {
  'use strict';
  var API = __STAND_IN_ORIGIN__ + '/api/verify';
  var WARN_BEFORE = __WARN_BEFORE__;

  function mount(root, jwt, options) {
    var state = null;
    var receivedAt = 0;
    var warned = false;
    var updates = 0;
    var timer = 0;
    var loaded = false;
    var variables = {};
    var started = performance.now();
    var emit = options.emit || function () {};
    root.innerHTML =
      '<div class="explo-stand-in" style="font:14px/1.5 system-ui,sans-serif;padding:16px;border:2px dashed #6b7bd6;border-radius:8px;background:#f6f7ff">' +
      '<strong>Explo stand-in</strong> <span style="color:#666">(' + options.label + ', environment <span data-explo-field="environment"></span>)</span>' +
      '<dl style="display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:12px 0 0">' +
      '<dt>status</dt><dd data-explo-field="status"></dd>' +
      '<dt>customer (cst)</dt><dd data-explo-field="customer"></dd>' +
      '<dt>embed id (dsh)</dt><dd data-explo-field="dashboard"></dd>' +
      '<dt>key id</dt><dd data-explo-field="kid"></dd>' +
      '<dt>expires (exp)</dt><dd><span data-explo-field="exp"></span> (<span data-explo-field="countdown"></span>)</dd>' +
      '<dt>token updates</dt><dd data-explo-field="updates">0</dd>' +
      '<dt>variables</dt><dd data-explo-field="variables">{}</dd>' +
      '</dl></div>';
    function field(name) { return root.querySelector('[data-explo-field="' + name + '"]'); }
    field('environment').textContent = options.environment;

    function remaining() { return state && state.ok ? state.expiresIn - (performance.now() - receivedAt) / 1000 : 0; }

    function render() {
      var status = field('status');
      if (!state) { status.textContent = 'loading'; return; }
      var c = state.claims || {};
      field('customer').textContent = c.cst === undefined ? '-' : String(c.cst);
      field('dashboard').textContent = c.dsh === undefined ? '-' : String(c.dsh);
      field('kid').textContent = state.kid || '-';
      field('exp').textContent = typeof c.exp === 'number' ? String(c.exp) : '-';
      field('updates').textContent = String(updates);
      var left = remaining();
      if (!state.ok) {
        status.textContent = 'rejected: ' + state.code;
        status.style.color = '#b00020';
        field('countdown').textContent = state.code === 'ERR_EXPLO_JWT_EXPIRED' ? 'expired' : '-';
      } else if (left <= 0) {
        status.textContent = 'expired';
        status.style.color = '#b00020';
        field('countdown').textContent = 'expired';
      } else {
        status.textContent = 'valid';
        status.style.color = '#0a7a2f';
        field('countdown').textContent = 'in ' + Math.ceil(left) + ' s';
      }
      root.setAttribute('data-explo-status', status.textContent);
    }

    function tick() {
      render();
      if (state && state.ok && !warned && remaining() <= WARN_BEFORE) {
        warned = true;
        options.emitExpired();
      }
    }

    function apply(next) {
      state = next;
      receivedAt = performance.now();
      warned = false;
      render();
      // Explo's load events, once, for the first valid token.
      if (!loaded && state && state.ok) {
        loaded = true;
        var id = String((state.claims || {}).dsh || '');
        emit('dashboardReadyToLoad', { dashboardId: id, dashboardHeight: 300 });
        emit('dashboardLoaded', { dashboardId: id, dashboardHeight: root.offsetHeight || 300, loadTime: Math.round(performance.now() - started) });
      }
    }

    // updateExploDashboardVariable(s): shown, and answered with dashboardUpdated.
    function setVariables(list) {
      if (!Array.isArray(list)) return;
      list.forEach(function (v) { if (v && typeof v.varName === 'string') variables[v.varName] = v.value; });
      field('variables').textContent = JSON.stringify(variables);
      emit('dashboardUpdated', { dashboardId: String(((state && state.claims) || {}).dsh || ''), dashboardHeight: root.offsetHeight || 300 });
    }
    if (options.onVariables) options.onVariables(setVariables);

    // The stand-in's expireNow(): announce expiry at once, as Explo does shortly before it.
    var source = typeof EventSource === 'function' ? new EventSource(options.eventsUrl || (API.replace('/api/verify', '/api/events'))) : null;
    if (source) source.onmessage = function (e) { if (e.data === 'expire' && state && state.ok) { warned = true; options.emitExpired(); } };

    function verify(token) {
      return fetch(options.verifyUrl || API, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: token })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .catch(function () { return { ok: false, code: 'STAND_IN_UNREACHABLE', claims: {} }; });
    }

    // An update counts once the new token has been checked and shown.
    options.onUpdate(function (next) {
      if (typeof next !== 'string') return;
      verify(next).then(function (verdict) {
        updates++;
        apply(verdict);
      });
    });
    timer = setInterval(tick, 200);
    if (options.initial) apply(options.initial); else verify(jwt).then(apply);
    return function () { clearInterval(timer); if (source) source.close(); };
  }

  window.__exploStandIn = { mount: mount };
})();
`;
