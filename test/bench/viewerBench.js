// Response viewer timings in headless Chromium: the built dist/webview/main.js in the real
// page (same HTML and CSP as the extension), fed JSON the way the extension sends it.
require('tsx/cjs');
const { startViewerHarness } = require('../webview/viewerHarness.ts');

const MB = 1024 * 1024;
const SIZES = [
  { label: '100 KB', bytes: 100 * 1024 },
  { label: '1 MB', bytes: MB, firstGoalMs: 150 },
  { label: '10 MB', bytes: 10 * MB },
  { label: '50 MB', bytes: 50 * MB, firstGoalMs: 2000, parseFactor: 3 },
];
const LONG_TASK_GOAL_MS = 200;

const ms = (n) => `${Math.round(n)} ms`;

async function measureSize(harness, size) {
  const page = await harness.newPage();
  try {
    const parseMs = await page.evaluate((bytes) => {
      const text = window.__harness.jsonOfSize(bytes);
      window.benchText = text;
      const t = performance.now();
      JSON.parse(text);
      return performance.now() - t;
    }, size.bytes);
    const seq = await page.evaluate(() => window.__harness.deliver({ text: window.benchText }));
    const first = await page.waitForFunction(
      (s) => window.__harness.posted.find((m) => m.type === 'rendered' && m.seq === s),
      seq,
      { timeout: 120000, polling: 50 },
    );
    const firstAt = (await first.jsonValue()).at;
    const firstMs = firstAt - (await page.evaluate(() => window.__harness.deliveredAt));
    await page.waitForFunction(
      (s) => window.__harness.posted.some((m) => m.type === 'rendered' && m.seq === s && m.complete),
      seq,
      { timeout: 120000, polling: 100 },
    );
    // Use it after the first screen: scroll to the end, search, fold everything.
    await page.$eval('.scroller', (s) => (s.scrollTop = s.scrollHeight));
    await page.fill('.find-input', '"N1');
    await page.press('.find-input', 'Enter');
    const counted = () => /of [\d,]+\+?$/.test(document.querySelector('.find-count')?.textContent ?? '');
    await page.waitForFunction(counted, null, { timeout: 120000 });
    await page.press('.find-input', 'Enter');
    await page.click('text=Collapse all');
    await page.waitForTimeout(300);
    const longest = await page.evaluate(
      (after) => Math.max(0, ...window.__harness.longTasks.filter((t) => t.start >= after).map((t) => t.duration)),
      firstAt,
    );
    return { parseMs, firstMs, longest };
  } finally {
    await page.close();
  }
}

/** Measures the viewer and returns table rows (see table.js). */
async function measureViewer() {
  const harness = await startViewerHarness();
  const rows = [];
  try {
    for (const size of SIZES) {
      const { parseMs, firstMs, longest } = await measureSize(harness, size);
      const goals = [];
      let ok = true;
      if (size.firstGoalMs) {
        goals.push(`<= ${size.firstGoalMs} ms`);
        ok = ok && firstMs <= size.firstGoalMs;
      }
      if (size.parseFactor) {
        goals.push(`<= ${size.parseFactor}x parse`);
        ok = ok && firstMs <= size.parseFactor * parseMs;
      }
      rows.push({
        measure: `viewer ${size.label}: first screen (JSON.parse ${ms(parseMs)})`,
        result: `${ms(firstMs)} (${(firstMs / parseMs).toFixed(1)}x parse)`,
        goal: goals.join(', '),
        ok: goals.length ? ok : undefined,
      });
      rows.push({
        measure: `viewer ${size.label}: longest task after first screen`,
        result: longest > 0 ? ms(longest) : 'none over 50 ms',
        goal: `<= ${LONG_TASK_GOAL_MS} ms`,
        ok: longest <= LONG_TASK_GOAL_MS,
      });
    }
  } finally {
    await harness.close();
  }
  return rows;
}

module.exports = { measureViewer };
