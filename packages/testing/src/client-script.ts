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
    // The height the stand-in reports: one a test set (setHeight), else its content's; the last one reported.
    var fixedHeight = typeof options.height === 'number' ? options.height : null;
    var reported = null;
    root.innerHTML =
      '<div class="explo-stand-in" style="box-sizing:border-box;overflow:auto;font:14px/1.5 system-ui,sans-serif;padding:16px;border:2px dashed #6b7bd6;border-radius:8px;background:#f6f7ff">' +
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
    // Measured on the stand-in's own panel, never on the element or frame the page sizes: no feedback loop.
    var panel = root.querySelector('.explo-stand-in');
    function dashboardId() { return String(((state && state.claims) || {}).dsh || ''); }
    function height() { return fixedHeight !== null ? fixedHeight : panel.offsetHeight; }

    // dashboardUpdated once per change of height, after the dashboard loaded (a panel not laid out, 0 px, is no change).
    function heightChanged() {
      var next = height();
      if (!loaded || next === reported || (fixedHeight === null && next === 0)) return;
      reported = next;
      emit('dashboardUpdated', { dashboardId: dashboardId(), dashboardHeight: next });
    }
    function setHeight(px) {
      fixedHeight = px;
      panel.style.height = px === null ? '' : px + 'px';
      heightChanged();
    }
    if (fixedHeight !== null) setHeight(fixedHeight);
    var resizes = typeof ResizeObserver === 'function' ? new ResizeObserver(heightChanged) : null;
    if (resizes) resizes.observe(panel);

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
      // The ready event's height is an estimate, as Explo's is; the loaded one is the full height.
      if (!loaded && state && state.ok) {
        loaded = true;
        reported = height() || 300;
        emit('dashboardReadyToLoad', { dashboardId: dashboardId(), dashboardHeight: 300 });
        emit('dashboardLoaded', { dashboardId: dashboardId(), dashboardHeight: reported, loadTime: Math.round(performance.now() - started) });
      }
    }

    // updateExploDashboardVariable(s): shown, and answered with dashboardUpdated.
    function setVariables(list) {
      if (!Array.isArray(list)) return;
      list.forEach(function (v) { if (v && typeof v.varName === 'string') variables[v.varName] = v.value; });
      field('variables').textContent = JSON.stringify(variables);
      reported = height() || 300;
      emit('dashboardUpdated', { dashboardId: dashboardId(), dashboardHeight: reported });
    }
    if (options.onVariables) options.onVariables(setVariables);

    // The stand-in's expireNow() (announce expiry at once, as Explo does shortly before it), setHeight()
    // and emitEditableSection(), from the server.
    var source = typeof EventSource === 'function' ? new EventSource(options.eventsUrl || (API.replace('/api/verify', '/api/events'))) : null;
    if (source) source.onmessage = function (e) {
      var showing = state && state.ok;
      if (e.data === 'expire') { if (showing) { warned = true; options.emitExpired(); } return; }
      var message = null;
      try { message = JSON.parse(e.data); } catch (error) { return; }
      if (!message || typeof message !== 'object') return;
      if ('height' in message) setHeight(typeof message.height === 'number' ? message.height : null);
      else if (showing && /^(editableSection|analyticsEventFired)/.test(message.event)) emit(message.event, message.detail);
    };

    function verify(token) {
      var url = (options.verifyUrl || API) + '?environment=' + encodeURIComponent(options.environment);
      return fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: token })
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
    return function () { clearInterval(timer); if (source) source.close(); if (resizes) resizes.disconnect(); };
  }

  window.__exploStandIn = { mount: mount };
})();
`;
