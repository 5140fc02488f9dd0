// The ShopFlow console: four read-only pages over this analytics-api's JSON (same origin, no login).
// Routing by the URL's hash: #pipeline, #quality[/check], #lineage, #kpis[?from=..&to=..&granularity=..].
'use strict';
(() => {
  const page = document.getElementById('page');
  const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  let refreshTimer = null;

  const h = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null) continue;
      if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
    }
    for (const c of children.flat()) if (c !== undefined && c !== null) e.append(c instanceof Node ? c : String(c));
    return e;
  };
  const api = async (path) => {
    const r = await fetch(path, { headers: { Accept: 'application/json' } });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) { const err = new Error(body.detail || body.title || `${r.status} from ${path}`); err.status = r.status; throw err; }
    return body;
  };
  const status = (s) => h('span', { class: `status ${s}` }, s);
  const when = (t) => (t ? new Date(t).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '');
  const ms = (v) => (v === null || v === undefined ? '' : v >= 10000 ? (v / 1000).toFixed(1) + ' s' : Math.round(v) + ' ms');
  const table = (head, rows, numeric = []) => h('table', {},
    h('thead', {}, h('tr', {}, head.map((c, i) => h('th', { class: numeric.includes(i) ? 'num' : null }, c)))),
    h('tbody', {}, rows));
  const card = (label, value, testid, raw) => h('div', { class: 'card' },
    h('div', { class: 'label' }, label), h('div', { class: 'value', 'data-testid': testid, 'data-value': raw ?? value }, value));
  const fail = (e) => page.replaceChildren(h('div', { class: 'error-box', 'data-testid': 'error' },
    e.status === 503 ? 'Nothing published yet: the KPIs answer once a first transform run has published. ' : '', e.message));

  // ---- Pipeline -------------------------------------------------------------------------------
  const STEP_COLORS = { scope: '#8fa8e0', dimensions: '#5b84d9', facts: '#3467d6', marts: '#2a4fa3', audit: '#d9a441', publish: '#1f8a4c', retry_40001: '#c0392b' };
  /** st: the pipeline status route() has just read for the header. */
  async function pipeline(st) {
    const runs = await api('/api/v1/console/transform-runs?limit=15');
    const fresh = st.freshness_seconds;
    page.replaceChildren(
      h('div', { class: 'cards' },
        card('published version', st.published_version ?? 'none', 'published-version'),
        card('freshness', fresh === null || fresh === undefined ? '-' : fresh < 120 ? `${fresh} s` : `${Math.round(fresh / 60)} min`, 'freshness', fresh),
        card('pending batches', st.pending_batches, 'pending-batches'),
        card('last audit', st.last_audit ? st.last_audit.outcome : '-', 'last-audit'),
        card('watermark', st.watermark ? when(st.watermark) : '-', 'watermark')),
      st.transform_backoff ? h('p', { class: 'error-box' }, `Transform is backing off after run ${st.transform_backoff.run_id} failed: ${st.transform_backoff.error}`) : '',
      h('h2', {}, 'Latest batch per entity'),
      table(['entity', 'batch', 'status', 'received', 'loaded', 'quarantined', 'received at'],
        (st.latest_batches || []).map((b) => h('tr', { 'data-entity': b.entity },
          h('td', {}, b.entity), h('td', { class: 'muted' }, b.batch_id), h('td', {}, status(b.status)),
          h('td', { class: 'num' }, fmt.format(b.received)), h('td', { class: 'num' }, fmt.format(b.loaded)),
          h('td', { class: 'num' }, fmt.format(b.quarantined)), h('td', {}, when(b.received_at)))), [3, 4, 5]),
      ...sources(st.sources || []),
      h('h2', {}, 'Transform runs'),
      table(['run', 'kind', 'status', 'started', 'duration', 'batches', 'steps', 'rows', 'published', 'error'],
        runs.items.map((r) => {
          const steps = r.steps || [];
          const total = steps.reduce((a, s) => a + (s.duration_ms || 0), 0) || 1;
          return h('tr', { 'data-run': r.run_id },
            h('td', {}, r.run_id), h('td', {}, r.kind), h('td', {}, status(r.status)), h('td', {}, when(r.started_at)),
            h('td', { class: 'num' }, ms(r.duration_ms)), h('td', { class: 'num' }, r.batches),
            h('td', {}, h('div', { class: 'steps' }, steps.map((s) => h('span', {
              style: `width:${(100 * (s.duration_ms || 0)) / total}%;background:${STEP_COLORS[s.step] || '#999'}`,
              title: `${s.step}: ${ms(s.duration_ms)}, ${fmt.format(s.rows ?? 0)} rows` })))),
            h('td', { class: 'num' }, fmt.format(steps.reduce((a, s) => a + (s.rows || 0), 0))),
            h('td', { class: 'num' }, r.published_version ?? ''), h('td', { class: 'muted' }, r.error ?? ''));
        }), [4, 5, 7, 8]),
      h('p', { class: 'muted' }, 'Steps: ', Object.entries(STEP_COLORS).map(([k, c]) => h('span', { style: `color:${c}` }, `■ ${k} `)),
        ' · refreshes every 5 s'));
    refreshTimer = setTimeout(() => route(), 5000);
  }

  /** The shop's own databases and exports (docs/sources.md): last run, rows loaded, lag; nothing when none ran. */
  function sources(items) {
    if (!items.length) return [];
    const age = (s) => (s === null || s === undefined ? '-' : s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`);
    return [h('h2', {}, 'Sources'),
      table(['source', 'last run', 'status', 'rows (last run)', 'rows (24 h)', 'last loaded', 'cursor lag', 'error'],
        items.map((s) => h('tr', { 'data-source': s.source },
          h('td', {}, s.source), h('td', {}, `${s.last_run_id}${s.last_run_full ? ' (full)' : ''} · ${when(s.last_run_started_at)}`),
          h('td', {}, status(s.last_run_status)), h('td', { class: 'num' }, fmt.format(s.last_run_rows ?? 0)),
          h('td', { class: 'num', 'data-testid': 'source-rows' }, fmt.format(s.rows_24h ?? 0)),
          h('td', {}, s.last_loaded_at ? when(s.last_loaded_at) : '-'), h('td', { class: 'num' }, age(s.cursor_lag_seconds)),
          h('td', { class: 'muted' }, s.last_run_error ?? ''))), [3, 4, 6])];
  }

  // ---- Quality --------------------------------------------------------------------------------
  async function quality(check) {
    const data = await api('/api/v1/console/check-results?limit=1000' + (check ? `&check=${encodeURIComponent(check)}` : ''));
    if (!data.available) {
      page.replaceChildren(h('p', { class: 'error-box' }, 'Quality results are not readable yet: ', data.reason));
      return;
    }
    // a failing check's sample rows as a small table (Great Expectations' "unexpected rows")
    const sample = (r) => {
      const rows = Array.isArray(r.sample) ? r.sample : r.sample && typeof r.sample === 'object' ? [r.sample] : [];
      // a check that could not run says why (its sample holds {error}), instead of an empty cell
      if (r.status === 'error') {
        const why = rows.map((row) => row && row.error).filter(Boolean)[0];
        return h('div', { class: 'muted', 'data-testid': 'check-error' }, why || 'the check could not run');
      }
      if (!(r.failing_rows > 0) || !rows.length) return '';
      const cols = [...new Set(rows.flatMap((row) => (row && typeof row === 'object' ? Object.keys(row) : ['value'])))];
      const cell = (v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
      return h('div', { class: 'sample', 'data-testid': 'sample' }, table(cols, rows.slice(0, 5).map((row) =>
        h('tr', {}, cols.map((c) => h('td', {}, cell(row && typeof row === 'object' ? row[c] : row)))))),
      rows.length > 5 || r.failing_rows > rows.length
        ? h('div', { class: 'muted' }, `${fmt.format(Math.min(rows.length, 5))} of ${fmt.format(r.failing_rows)} failing rows shown`) : '');
    };
    if (check) {
      page.replaceChildren(h('p', {}, h('a', { href: '#quality' }, '← all checks')), h('h2', {}, `History of ${check}`),
        table(['checked at', 'run', 'layer', 'severity', 'status', 'failing rows', 'scope', 'failing-row sample'],
          data.items.map((r) => h('tr', {}, h('td', {}, when(r.checked_at)), h('td', {}, r.run_id), h('td', {}, r.layer),
            h('td', {}, status(r.severity)), h('td', {}, status(r.status)), h('td', { class: 'num' }, fmt.format(r.failing_rows)),
            h('td', { class: 'muted' }, JSON.stringify(r.scope)), h('td', {}, sample(r)))), [5]));
      return;
    }
    const latest = new Map();
    const history = new Map();
    for (const r of data.items) {
      if (!latest.has(r.check)) latest.set(r.check, r);
      history.set(r.check, [r.status, ...(history.get(r.check) || [])].slice(-30));
    }
    const byLayer = new Map();
    for (const r of latest.values()) byLayer.set(r.layer, [...(byLayer.get(r.layer) || []), r]);
    const failing = [...latest.values()].filter((r) => r.status !== 'passed').length;
    page.replaceChildren(
      h('div', { class: 'cards' }, card('checks', latest.size, 'checks-count'), card('failing now', failing, 'checks-failing'),
        card('results read', data.items.length, 'results-count')),
      ...[...byLayer.entries()].sort().flatMap(([layer, rows]) => [h('h2', {}, `Layer ${layer}`),
        table(['check', 'severity', 'status', 'failing rows', 'last checked', 'history (oldest → newest)', 'failing-row sample'],
          // failing checks first, then by name
          rows.sort((a, b) => (a.status === 'passed') - (b.status === 'passed') || a.check.localeCompare(b.check)).map((r) => h('tr', { 'data-check': r.check },
            h('td', {}, h('a', { href: `#quality/${encodeURIComponent(r.check)}` }, r.check)), h('td', {}, status(r.severity)),
            h('td', {}, status(r.status)), h('td', { class: 'num', 'data-testid': 'failing-rows' }, fmt.format(r.failing_rows)),
            h('td', {}, when(r.checked_at)),
            h('td', {}, h('div', { class: 'steps', style: 'min-width:120px' }, (history.get(r.check) || []).map((s) =>
              h('span', { style: `width:4px;margin-right:1px;background:${s === 'passed' ? 'var(--ok)' : 'var(--bad)'}`, title: s })))),
            h('td', {}, sample(r)))), [3])]));
  }

  // ---- Lineage --------------------------------------------------------------------------------
  async function lineage() {
    const cat = await api('/api/v1/console/catalog');
    const cols = [...cat.layers, 'endpoints'];
    const nodes = new Map();
    for (const t of cat.tables) nodes.set(t.id, { ...t, col: cols.indexOf(t.layer) });
    for (const [path, marts] of Object.entries(cat.endpoints)) {
      nodes.set(path, { id: path, name: path.replace('/api/v1/kpis', ''), layer: 'endpoints', col: cols.length - 1,
        kind: 'endpoint', comment: `GET ${path}`, columns: [], built_from: marts });
    }
    const colW = 230, rowH = 30, boxW = 190, top = 34;
    const perCol = cols.map((c) => [...nodes.values()].filter((n) => n.layer === c));
    perCol.forEach((list) => list.forEach((n, i) => { n.x = 12 + n.col * colW; n.y = top + i * rowH; }));
    const height = top + Math.max(...perCol.map((l) => l.length)) * rowH + 10;
    const svg = Charts.el('svg', { width: cols.length * colW + 10, height, 'data-testid': 'lineage' });
    cols.forEach((c, i) => svg.append(Charts.el('text', { x: 12 + i * colW, y: 18, style: 'font-weight:600' }, c)));
    const edges = [];
    for (const n of nodes.values()) {
      for (const src of n.built_from || []) {
        const s = nodes.get(src);
        if (!s) continue;
        const x1 = s.x + boxW, y1 = s.y + 11, x2 = n.x, y2 = n.y + 11, mx = (x1 + x2) / 2;
        const path = Charts.el('path', { class: 'edge', d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`, 'data-from': src, 'data-to': n.id });
        edges.push(path);
        svg.append(path);
      }
    }
    const detail = h('div', { class: 'panel', 'data-testid': 'table-detail' }, h('span', { class: 'muted' }, 'Click a table to see its columns.'));
    const show = (n) => {
      svg.querySelectorAll('.node').forEach((g) => g.classList.toggle('hot', g.dataset.id === n.id));
      edges.forEach((e) => e.classList.toggle('hot', e.dataset.from === n.id || e.dataset.to === n.id));
      detail.replaceChildren(h('h2', {}, n.id), h('p', {}, n.comment || h('span', { class: 'muted' }, 'no comment')),
        n.built_from && n.built_from.length ? h('p', { class: 'muted' }, 'built from: ', n.built_from.join(', ')) : '',
        n.columns.length ? table(['column', 'type', 'comment'], n.columns.map((c) => h('tr', {}, h('td', {}, c.name),
          h('td', { class: 'muted' }, c.type), h('td', {}, c.comment || '')))) : '');
    };
    for (const n of nodes.values()) {
      const g = Charts.el('g', { class: 'node', 'data-id': n.id, transform: `translate(${n.x},${n.y})` });
      g.append(Charts.el('rect', { width: boxW, height: 22 }));
      g.append(Charts.el('text', { x: 7, y: 15 }, n.name.length > 30 ? n.name.slice(0, 29) + '…' : n.name));
      g.append(Charts.el('title', {}, `${n.id}${n.comment ? ': ' + n.comment : ''}`));
      g.addEventListener('click', () => show(n));
      svg.append(g);
    }
    page.replaceChildren(h('p', { class: 'muted' }, `${cat.tables.length} tables and views, ${Object.keys(cat.endpoints).length} endpoints; `
      + 'columns and comments come from the database catalog (docs/data-dictionary.md).'), h('div', { class: 'lineage-wrap' }, svg), h('h2', {}, 'Table'), detail);
  }

  // ---- KPIs -----------------------------------------------------------------------------------
  async function kpis(params) {
    let { from, to, granularity } = params;
    if (!from || !to) {
      const ext = await api('/api/v1/console/extent');
      if (!ext.last_day) { fail({ status: 503, message: '' }); return; }
      to = ext.last_day;
      const start = new Date(to + 'T00:00:00Z');
      start.setUTCDate(start.getUTCDate() - 29);
      from = ext.first_day > start.toISOString().slice(0, 10) ? ext.first_day : start.toISOString().slice(0, 10);
    }
    granularity = granularity || 'day';
    const q = `from=${from}&to=${to}`;
    const [summary, revenue, categories, channels, top] = await Promise.all([
      api(`/api/v1/kpis/summary?${q}`), api(`/api/v1/kpis/revenue?${q}&granularity=${granularity}`),
      api(`/api/v1/kpis/revenue-by-category?${q}`), api(`/api/v1/kpis/revenue-by-channel?${q}`),
      api(`/api/v1/kpis/top-products?${q}&by=revenue&limit=10`)]);
    const fromIn = h('input', { type: 'date', value: from, 'data-testid': 'from' });
    const toIn = h('input', { type: 'date', value: to, 'data-testid': 'to' });
    const gran = h('select', { 'data-testid': 'granularity' }, ['day', 'week', 'month'].map((g) => {
      const o = h('option', { value: g }, g); if (g === granularity) o.selected = true; return o;
    }));
    const apply = () => { location.hash = `#kpis?from=${fromIn.value}&to=${toIn.value}&granularity=${gran.value}`; };
    page.replaceChildren(
      h('div', { class: 'controls' }, 'From', fromIn, 'to', toIn, gran, h('button', { onclick: apply, 'data-testid': 'apply' }, 'Apply'),
        h('span', { class: 'muted' }, `version ${summary.version}, as of ${when(summary.as_of)}`)),
      h('div', { class: 'cards' },
        card('revenue', fmt.format(summary.revenue), 'summary-revenue', summary.revenue),
        card('orders', fmt.format(summary.orders), 'summary-orders', summary.orders),
        card('average order value', fmt.format(summary.aov ?? 0), 'summary-aov', summary.aov),
        card('customers', fmt.format(summary.customers), 'summary-customers', summary.customers),
        card('repeat customer rate', summary.repeat_customer_rate, 'summary-repeat', summary.repeat_customer_rate)),
      h('h2', {}, `Revenue by ${granularity}`),
      h('div', { class: 'panel' }, Charts.line(revenue.items.map((i) => ({ label: i.period, value: i.revenue })), { testid: 'revenue-chart' })),
      h('div', { class: 'grid' },
        h('div', {}, h('h2', {}, 'Revenue by category'), h('div', { class: 'panel' },
          Charts.bars(categories.items.map((i) => ({ label: i.category, value: i.revenue })), { testid: 'category-chart' }))),
        h('div', {}, h('h2', {}, 'Revenue by channel'), h('div', { class: 'panel' },
          Charts.bars(channels.items.map((i) => ({ label: i.channel, value: i.revenue })), { testid: 'channel-chart' })))),
      h('h2', {}, 'Top products by revenue'),
      h('div', { class: 'panel' }, Charts.bars(top.items.map((i) => ({ label: `${i.name} (${i.product_id})`, value: i.revenue })),
        { width: 1180, testid: 'top-products-chart' })));
  }

  // ---- routing --------------------------------------------------------------------------------
  async function route() {
    clearTimeout(refreshTimer);
    const hash = location.hash.slice(1) || 'pipeline';
    const [path, query] = hash.split('?');
    const [name, arg] = path.split('/');
    document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === name));
    let st = null;
    try {
      st = await api('/api/v1/pipeline/status');
      document.getElementById('version').textContent = st.published_version ? `published version ${st.published_version}` : 'nothing published yet';
    } catch (e) { /* the page below reports it */ }
    try {
      if (name === 'quality') await quality(arg ? decodeURIComponent(arg) : null);
      else if (name === 'lineage') await lineage();
      else if (name === 'kpis') await kpis(Object.fromEntries(new URLSearchParams(query || '')));
      else await pipeline(st || await api('/api/v1/pipeline/status'));
    } catch (e) {
      fail(e);
    }
    // what is on screen now (the browser tests wait for it)
    page.dataset.loaded = name;
    page.dataset.hash = location.hash;
  }
  window.addEventListener('hashchange', route);
  route();
})();
