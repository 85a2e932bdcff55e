import { CSRF_FIELD } from './csrf';
import type { DashboardSummary } from './dashboard.service';

/** Escapes text for HTML content and double-quoted attributes. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const when = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '—');

export interface PageOptions {
  csrfToken: string;
  notice?: { text: string; level: 'ok' | 'error' };
}

/**
 * The whole dashboard, server-rendered: every figure is in the HTML (it reads
 * without scripts), and the small script at the end polls /admin/summary.json
 * to refresh the `data-field` figures, the tables and the chart in place.
 */
export function renderDashboard(s: DashboardSummary, opts: PageOptions): string {
  const form = (action: string, label: string, extra = '') =>
    `<form method="post" action="${esc(action)}" class="inline"><input type="hidden" name="${CSRF_FIELD}" value="${esc(opts.csrfToken)}">${extra}<button type="submit">${esc(label)}</button></form>`;
  const figure = (field: string, label: string, value: string) =>
    `<div class="fig"><span class="label">${esc(label)}</span><span class="value" data-field="${esc(field)}">${esc(value)}</span></div>`;
  const lifecycleRow = (name: 'pool' | 'standby' | 'reserved') =>
    `<tr><th scope="row">${name}</th>${(['ready', 'pending', 'failed', 'released'] as const)
      .map((k) => `<td data-field="numbers.${name}.${k}">${esc(s.numbers[name][k])}</td>`)
      .join('')}</tr>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${esc(opts.csrfToken)}">
<title>Maskline ops</title>
<link rel="stylesheet" href="/admin/assets/uplot.css">
<style>
  * { box-sizing: border-box; }
  body { font: 15px/1.4 system-ui, sans-serif; margin: 0; padding: 12px; background: #f5f6f8; color: #1d2330; }
  header { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: baseline; margin-bottom: 12px; }
  h1 { font-size: 1.3rem; margin: 0; }
  nav a { margin-right: 12px; }
  .grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px; }
  .card { background: #fff; border-radius: 8px; padding: 12px; box-shadow: 0 1px 2px rgba(0,0,0,.08); min-width: 0; }
  .wide { grid-column: 1 / -1; }
  h2 { font-size: 1.05rem; margin: 0 0 8px; }
  .figs { display: flex; flex-wrap: wrap; gap: 12px 24px; }
  .fig .label { display: block; font-size: .8rem; color: #5b6475; }
  .fig .value { font-size: 1.3rem; font-weight: 600; }
  .warn { color: #b3261e; }
  .scroll { overflow-x: auto; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; }
  th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #e3e6ec; overflow-wrap: break-word; }
  th { white-space: nowrap; }
  form.inline { display: inline; }
  button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid #9aa3b5; background: #fff; cursor: pointer; }
  .notice { padding: 8px 12px; border-radius: 6px; margin-bottom: 12px; background: #e6f4ea; }
  .notice.error { background: #fce8e6; }
  #chart { width: 100%; min-height: 240px; }
  .muted { color: #5b6475; font-size: .85rem; }
  @media (max-width: 600px) { .grid { grid-template-columns: 1fr; } body { padding: 8px; } }
</style>
</head>
<body>
<header>
  <h1>Maskline ops</h1>
  <nav><a href="/admin/queues">Bull Board</a><a href="/docs">Swagger</a><a href="/inventory/health">health JSON</a><a href="/messages/failures">failures JSON</a><a href="/admin/summary.json">summary JSON</a><a href="/metrics">metrics</a></nav>
  <span class="muted">updated <span data-field="generated_at">${esc(when(s.generated_at))}</span></span>
</header>
${opts.notice ? `<p class="notice ${opts.notice.level === 'error' ? 'error' : ''}" role="status">${esc(opts.notice.text)}</p>` : ''}
<main class="grid">
  <section class="card" aria-labelledby="h-pool">
    <h2 id="h-pool">Pool</h2>
    <div class="figs">
      ${figure('pool.utilization', 'utilization', pct(s.pool.utilization_rate))}
      ${figure('pool.threshold', 'threshold', pct(s.pool.threshold))}
      ${figure('pool.active_sessions', 'active sessions', String(s.pool.active_sessions))}
      ${figure('held_messages', 'held messages (waiting for a pool number)', String(s.held_messages))}
      ${figure('sitters_without_reserved_number', 'sitters without a reserved number', String(s.sitters_without_reserved_number))}
    </div>
    <p data-field="pool.verdict" class="${s.pool.threshold_met ? 'warn' : ''}">${s.pool.threshold_met ? 'At or above the threshold: the capacity check buys when the cooldown is free.' : 'Below the threshold.'}</p>
    ${form('/admin/actions/capacity-check', 'Run the capacity check now')}
  </section>
  <section class="card" aria-labelledby="h-buy">
    <h2 id="h-buy">Buying</h2>
    <div class="figs">
      ${figure('cooldown', 'cooldown', s.cooldown.active ? `until ${when(s.cooldown.until)}` : 'free')}
      ${figure('purchase_cap.used', 'purchases in 24 h', String(s.purchase_cap.used))}
      ${figure('purchase_cap.left', 'left of the daily cap', `${s.purchase_cap.left} of ${s.purchase_cap.limit}`)}
      ${figure('standby', 'standby', s.numbers.standby.ready > 0 ? `${s.numbers.standby.ready} ready` : s.numbers.standby.pending > 0 ? 'being bought' : 'none ready')}
    </div>
  </section>
  <section class="card wide" aria-labelledby="h-numbers">
    <h2 id="h-numbers">Numbers by lifecycle</h2>
    <div class="scroll"><table><thead><tr><th scope="col">lifecycle</th><th scope="col">ready</th><th scope="col">pending</th><th scope="col">failed</th><th scope="col">released</th></tr></thead>
    <tbody>${lifecycleRow('pool')}${lifecycleRow('standby')}${lifecycleRow('reserved')}</tbody></table></div>
  </section>
  <section class="card wide" aria-labelledby="h-chart">
    <h2 id="h-chart">Utilization and active sessions, last 30 days (hourly samples)</h2>
    <div id="chart" role="img" aria-label="Chart of pool utilization and active sessions; the same figures are in the table below"></div>
    <details><summary>The chart's figures as a table</summary>
      <div class="scroll"><table id="history-table"><thead><tr><th scope="col">hour (UTC)</th><th scope="col">utilization</th><th scope="col">active sessions</th></tr></thead>
      <tbody>${s.history.map((h) => `<tr><td>${esc(when(h.at))}</td><td>${esc(pct(h.utilization_rate))}</td><td>${esc(h.active_sessions)}</td></tr>`).join('')}</tbody></table></div>
    </details>
  </section>
  <section class="card wide" aria-labelledby="h-recent">
    <h2 id="h-recent">Last purchases</h2>
    <div class="scroll"><table id="recent-table"><thead><tr><th scope="col">record</th><th scope="col">lifecycle</th><th scope="col">status</th><th scope="col">number</th><th scope="col">error</th><th scope="col">created</th><th scope="col">action</th></tr></thead>
    <tbody>${s.recent_purchases
      .map(
        (n) =>
          `<tr><td><a href="/numbers/${encodeURIComponent(n.number_inventory_id)}">${esc(n.number_inventory_id)}</a></td><td>${esc(n.lifecycle)}</td><td>${esc(n.status)}</td><td>${esc(n.phone)}</td><td>${esc(n.error_code ?? '')}</td><td>${esc(when(n.created_at))}</td><td>${
            n.status === 'failed'
              ? form(`/admin/actions/numbers/${encodeURIComponent(n.number_inventory_id)}/retry`, 'Retry')
              : n.status === 'ready' && n.lifecycle !== 'reserved'
                ? form(`/admin/actions/numbers/${encodeURIComponent(n.number_inventory_id)}/release`, 'Release')
                : ''
          }</td></tr>`,
      )
      .join('')}</tbody></table></div>
  </section>
  <section class="card wide" aria-labelledby="h-failures">
    <h2 id="h-failures">Delivery failures, last 24 h: <span data-field="delivery_failures_24h.count">${esc(s.delivery_failures_24h.count)}</span></h2>
    <div class="scroll"><table id="failures-table"><thead><tr><th scope="col">when</th><th scope="col">code</th><th scope="col">meaning</th><th scope="col">direction</th><th scope="col">client</th><th scope="col">retry</th></tr></thead>
    <tbody>${s.delivery_failures_24h.shown
      .map((f) => `<tr><td>${esc(when(f.failed_at))}</td><td>${esc(f.error_code ?? '')}</td><td>${esc(f.meaning)}</td><td>${esc(f.direction)}</td><td>${esc(f.client_label ?? '')}</td><td>${esc(f.retry_state)}</td></tr>`)
      .join('')}</tbody></table></div>
  </section>
</main>
<script src="/admin/assets/uplot.js"></script>
<script src="/admin/assets/dashboard.js"></script>
</body>
</html>`;
}
