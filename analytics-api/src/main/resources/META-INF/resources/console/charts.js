// Small SVG charts for the console (no library: a line over time and horizontal bars). Each mark carries
// its figure in data-* attributes, which the browser tests compare with the API's answers.
'use strict';
const Charts = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const el = (name, attrs = {}, text) => {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const short = (v) => Math.abs(v) >= 1e6 ? (v / 1e6).toFixed(1) + 'M' : Math.abs(v) >= 1e3 ? (v / 1e3).toFixed(0) + 'k' : String(Math.round(v));

  /** points: [{label, value}] in order; a line with a dot per point. */
  function line(points, { width = 1180, height = 260, testid = 'line' } = {}) {
    const pad = { l: 56, r: 16, t: 12, b: 28 };
    const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, 'data-testid': testid, role: 'img' });
    const max = Math.max(1, ...points.map((p) => p.value));
    const w = width - pad.l - pad.r, h = height - pad.t - pad.b;
    const x = (i) => pad.l + (points.length === 1 ? w / 2 : (i * w) / (points.length - 1));
    const y = (v) => pad.t + h - (v / max) * h;
    for (let k = 0; k <= 4; k++) {
      const v = (max * k) / 4;
      svg.append(el('line', { class: 'axis', x1: pad.l, x2: width - pad.r, y1: y(v), y2: y(v) }));
      svg.append(el('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end' }, short(v)));
    }
    if (points.length) {
      svg.append(el('polyline', { class: 'line', points: points.map((p, i) => `${x(i)},${y(p.value)}`).join(' ') }));
    }
    const every = Math.max(1, Math.ceil(points.length / 12));
    points.forEach((p, i) => {
      const dot = el('circle', { class: 'point', cx: x(i), cy: y(p.value), r: 3, 'data-label': p.label, 'data-value': p.value });
      dot.append(el('title', {}, `${p.label}: ${p.value}`));
      svg.append(dot);
      if (i % every === 0) svg.append(el('text', { x: x(i), y: height - 8, 'text-anchor': 'middle' }, p.label));
    });
    return svg;
  }

  /** items: [{label, value}]; one horizontal bar each, largest first as given. */
  function bars(items, { width = 560, testid = 'bars' } = {}) {
    const row = 22, labelW = 170, pad = 70;
    const height = Math.max(row, items.length * row) + 6;
    const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, 'data-testid': testid, role: 'img' });
    const max = Math.max(1, ...items.map((i) => i.value));
    items.forEach((item, k) => {
      const y = k * row + 3;
      const len = ((width - labelW - pad) * item.value) / max;
      svg.append(el('text', { x: labelW - 6, y: y + 14, 'text-anchor': 'end' }, item.label.length > 26 ? item.label.slice(0, 25) + '…' : item.label));
      const bar = el('rect', { class: 'bar', x: labelW, y, width: Math.max(1, len), height: row - 6, 'data-label': item.label, 'data-value': item.value });
      bar.append(el('title', {}, `${item.label}: ${item.value}`));
      svg.append(bar);
      svg.append(el('text', { x: labelW + len + 6, y: y + 14 }, short(item.value)));
    });
    return svg;
  }

  return { el, line, bars };
})();
