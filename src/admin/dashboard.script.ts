/**
 * The dashboard's only script, served as /admin/assets/dashboard.js (no build
 * step): polls /admin/summary.json every few seconds and refreshes the
 * figures, the tables and the chart in place. Everything it writes goes
 * through textContent, never innerHTML.
 */
export const DASHBOARD_SCRIPT = String.raw`(function () {
  'use strict';
  var POLL_MS = 5000;
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  var chart = null;

  function pct(rate) { return (rate * 100).toFixed(1) + '%'; }
  function when(iso) { return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '\u2014'; }
  function set(field, text) {
    document.querySelectorAll('[data-field="' + field + '"]').forEach(function (el) { el.textContent = String(text); });
  }
  function cell(row, text) { var td = document.createElement('td'); td.textContent = text == null ? '' : String(text); row.appendChild(td); return td; }
  function actionForm(action, label) {
    var form = document.createElement('form');
    form.method = 'post'; form.action = action; form.className = 'inline';
    var input = document.createElement('input');
    input.type = 'hidden'; input.name = 'csrf_token'; input.value = csrf;
    var button = document.createElement('button');
    button.type = 'submit'; button.textContent = label;
    form.appendChild(input); form.appendChild(button);
    return form;
  }
  function fill(tableId, rows, build) {
    var body = document.querySelector('#' + tableId + ' tbody');
    var fresh = document.createElement('tbody');
    rows.forEach(function (r) { var tr = document.createElement('tr'); build(tr, r); fresh.appendChild(tr); });
    body.replaceWith(fresh);
  }

  // the axis always spans 30 days, so a young install's few samples sit at the right end
  function last30Days() { var now = Date.now() / 1000; return [now - 30 * 86400, now]; }

  function drawChart(history) {
    var el = document.getElementById('chart');
    if (typeof uPlot === 'undefined' || !el) return;
    var data = [
      history.map(function (h) { return Date.parse(h.at) / 1000; }),
      history.map(function (h) { return Math.round(h.utilization_rate * 1000) / 10; }),
      history.map(function (h) { return h.active_sessions; }),
    ];
    var width = Math.max(200, el.clientWidth);
    if (chart) { chart.setData(data); chart.setSize({ width: width, height: 240 }); return; }
    chart = new uPlot({
      width: width, height: 240,
      scales: { x: { time: true, range: last30Days }, pct: { range: [0, 100] }, n: {} },
      series: [
        {},
        { label: 'utilization %', scale: 'pct', stroke: '#1a73e8', width: 2 },
        { label: 'active sessions', scale: 'n', stroke: '#e8710a', width: 2 },
      ],
      axes: [{}, { scale: 'pct', label: '%' }, { scale: 'n', side: 1, grid: { show: false } }],
    }, data, el);
  }

  function render(s) {
    set('generated_at', when(s.generated_at));
    set('pool.utilization', pct(s.pool.utilization_rate));
    set('pool.threshold', pct(s.pool.threshold));
    set('pool.active_sessions', s.pool.active_sessions);
    set('pool.verdict', s.pool.threshold_met ? 'At or above the threshold: the capacity check buys when the cooldown is free.' : 'Below the threshold.');
    set('held_messages', s.held_messages);
    set('sitters_without_reserved_number', s.sitters_without_reserved_number);
    set('cooldown', s.cooldown.active ? 'until ' + when(s.cooldown.until) : 'free');
    set('purchase_cap.used', s.purchase_cap.used);
    set('purchase_cap.left', s.purchase_cap.left + ' of ' + s.purchase_cap.limit);
    var standby = s.numbers.standby;
    set('standby', standby.ready > 0 ? standby.ready + ' ready' : standby.pending > 0 ? 'being bought' : 'none ready');
    ['pool', 'standby', 'reserved'].forEach(function (l) {
      ['ready', 'pending', 'failed', 'released'].forEach(function (k) { set('numbers.' + l + '.' + k, s.numbers[l][k]); });
    });
    set('delivery_failures_24h.count', s.delivery_failures_24h.count);
    fill('recent-table', s.recent_purchases, function (tr, n) {
      var link = document.createElement('a');
      link.href = '/numbers/' + encodeURIComponent(n.number_inventory_id);
      link.textContent = n.number_inventory_id;
      cell(tr, '').appendChild(link);
      cell(tr, n.lifecycle); cell(tr, n.status); cell(tr, n.phone); cell(tr, n.error_code); cell(tr, when(n.created_at));
      var act = cell(tr, '');
      var base = '/admin/actions/numbers/' + encodeURIComponent(n.number_inventory_id);
      if (n.status === 'failed') act.appendChild(actionForm(base + '/retry', 'Retry'));
      else if (n.status === 'ready' && n.lifecycle !== 'reserved') act.appendChild(actionForm(base + '/release', 'Release'));
    });
    fill('failures-table', s.delivery_failures_24h.shown, function (tr, f) {
      cell(tr, when(f.failed_at)); cell(tr, f.error_code); cell(tr, f.meaning); cell(tr, f.direction); cell(tr, f.client_label); cell(tr, f.retry_state);
    });
    fill('history-table', s.history, function (tr, h) {
      cell(tr, when(h.at)); cell(tr, pct(h.utilization_rate)); cell(tr, h.active_sessions);
    });
    drawChart(s.history);
  }

  function poll() {
    fetch('/admin/summary.json', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (s) { render(s); document.body.dataset.refreshed = String(Date.now()); })
      .catch(function () { /* the figures stay as they were; the next poll tries again */ })
      .then(function () { setTimeout(poll, POLL_MS); });
  }
  poll();
  window.addEventListener('resize', function () {
    var el = document.getElementById('chart');
    if (chart && el) chart.setSize({ width: Math.max(200, el.clientWidth), height: 240 });
  });
})();
`;
