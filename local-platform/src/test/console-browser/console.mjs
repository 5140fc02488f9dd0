// Visits every console page in headless Chromium (Debian's, no download) and prints what it saw as JSON:
// console errors per page, the KPI figures on screen before and after the range picker changed them,
// and a screenshot per page. Usage: node console.mjs <base-url> <screenshot-dir> <range-from> <range-to>
import { chromium } from 'playwright-core';

const [base, shots, rangeFrom, rangeTo] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const out = { pages: {} };
try {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  let errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });

  const visit = async (name, hash, extra) => {
    errors = [];
    await page.goto(`${base}/console/${hash}`);
    await page.waitForSelector(`main[data-loaded="${name}"]`, { timeout: 30000 });
    const seen = { errors, problem: await page.locator('[data-testid=error]').count() };
    if (extra) Object.assign(seen, await extra());
    await page.screenshot({ path: `${shots}/console-${name}.png`, fullPage: name !== 'lineage' });
    seen.errors = errors;
    out.pages[name] = seen;
  };
  const points = (testid) => page.$$eval(`[data-testid=${testid}] [data-value]`,
    (els) => els.map((e) => ({ label: e.getAttribute('data-label'), value: Number(e.getAttribute('data-value')) })));
  const value = (testid) => page.$eval(`[data-testid=${testid}]`, (e) => Number(e.getAttribute('data-value')));

  await visit('pipeline', '#pipeline', async () => ({
    batchRows: await page.locator('tr[data-entity]').count(),
    runRows: await page.locator('tr[data-run]').count(),
    publishedVersion: await page.$eval('[data-testid=published-version]', (e) => e.textContent),
  }));
  await visit('quality', '#quality', async () => ({
    checks: await value('checks-count'),
    checkRows: await page.locator('tr[data-check]').count(),
    samples: await page.locator('[data-testid=sample]').count(),
    failingRows: await page.$$eval('tr[data-check]', (rows) => Object.fromEntries(rows.map((r) => [r.dataset.check,
      Number(r.querySelector('[data-testid=failing-rows]').textContent.replace(/,/g, ''))]))),
  }));
  await visit('lineage', '#lineage', async () => {
    await page.click('g.node[data-id="marts.mart_daily_sales"]');
    return {
      nodes: await page.locator('g.node').count(),
      edges: await page.locator('path.edge').count(),
      hotEdges: await page.locator('path.edge.hot').count(),
      detailColumns: await page.locator('[data-testid=table-detail] tbody tr').count(),
      detailTitle: await page.$eval('[data-testid=table-detail] h2', (e) => e.textContent),
    };
  });
  await visit('kpis', '#kpis', async () => {
    const before = {
      from: await page.inputValue('[data-testid=from]'), to: await page.inputValue('[data-testid=to]'),
      revenue: await value('summary-revenue'), orders: await value('summary-orders'),
      series: await points('revenue-chart'), categories: await points('category-chart'), channels: await points('channel-chart'),
      top: await points('top-products-chart'),
    };
    await page.fill('[data-testid=from]', rangeFrom);
    await page.fill('[data-testid=to]', rangeTo);
    await page.click('[data-testid=apply]');
    await page.waitForSelector(`main[data-hash="#kpis?from=${rangeFrom}&to=${rangeTo}&granularity=day"]`, { timeout: 30000 });
    const after = { revenue: await value('summary-revenue'), orders: await value('summary-orders'), series: await points('revenue-chart') };
    // back to the default range for the screenshot
    await page.goto(`${base}/console/#kpis`);
    await page.waitForSelector('main[data-hash="#kpis"]');
    return { before, after };
  });
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
