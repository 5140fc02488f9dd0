// The console's Pipeline page in headless Chromium (Debian's, no download), as an operator opens it
// while sources load: prints as JSON the console errors, and per source row what the page shows.
// Usage: node sources.mjs <base-url> <screenshot-file>
import { chromium } from 'playwright-core';

const [base, shot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const out = { errors: [] };
try {
  const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
  page.on('console', (m) => { if (m.type() === 'error') out.errors.push(m.text()); });
  page.on('pageerror', (e) => out.errors.push(String(e)));
  page.on('response', (r) => { if (r.status() >= 400) out.errors.push(`${r.status()} ${r.url()}`); });
  await page.goto(`${base}/console/#pipeline`);
  await page.waitForSelector('main[data-loaded="pipeline"]', { timeout: 30000 });
  out.sources = await page.$$eval('tr[data-source]', (rows) => rows.map((r) => ({
    source: r.dataset.source,
    cells: [...r.querySelectorAll('td')].map((td) => td.textContent),
    rows24h: Number(r.querySelector('[data-testid=source-rows]').textContent.replace(/,/g, '')),
  })));
  await page.screenshot({ path: shot, fullPage: true });
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
