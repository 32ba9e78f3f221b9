import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { RenderedReport } from '../../src/core/protocol';
import type { HarnessResponse } from './harnessPage';
import { startViewerHarness, type ViewerHarness } from './viewerHarness';

const CASE1 =
  '{"order_nr": 1234567890123456789, "items": [{"id": 9007199254740993, "price": 10.10}], "min": -9223372036854775808}';

let harness: ViewerHarness;
let page: Page;

async function deliver(r: HarnessResponse, complete = true): Promise<RenderedReport> {
  const seq = await page.evaluate((resp) => window.__harness.deliver(resp), r);
  const handle = await page.waitForFunction(
    ([s, c]) => window.__harness.posted.find((m) => m.type === 'rendered' && m.seq === s && (!c || m.complete)),
    [seq, complete] as const,
    { timeout: 30000 },
  );
  return (await handle.jsonValue()) as unknown as RenderedReport;
}

const rowsText = () => page.$$eval('.layer .row:not([hidden])', (rows) => rows.map((r) => r.textContent ?? ''));
const posted = (type: string) => page.evaluate((t) => window.__harness.posted.filter((m) => m.type === t), type);

describe('response viewer (headless Chromium)', function () {
  this.timeout(60000);

  before(async () => {
    harness = await startViewerHarness();
  });
  after(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    page = await harness.newPage();
  });
  afterEach(async () => {
    await page.close();
    assert.deepEqual(harness.cspConsole, [], 'no CSP violation may be needed to run the viewer');
  });

  it('shows and copies the exact digits of big and decimal numbers', async () => {
    const report = await deliver({ text: CASE1 });
    assert.equal(report.mode, 'json');
    const shown = (await rowsText()).join('\n');
    for (const digits of ['1234567890123456789', '9007199254740993', '10.10', '-9223372036854775808']) {
      assert.ok(shown.includes(digits), `${digits} not shown in:\n${shown}`);
      assert.ok(report.firstLines.join('\n').includes(digits));
    }
    assert.ok(!shown.includes('1234567890123456800') && !/\b10\.1\b(?!0)/.test(shown));
    await page.click('button[data-action="Copy"]');
    const copies = await posted('copy');
    assert.equal(copies.length, 1);
    assert.equal(copies[0].text, CASE1);
    const parts = await page.$$eval('.status-line > span', (spans) => spans.map((s) => s.textContent));
    const url = 'https://gateway.test/orders/v1/orders?limit=2';
    assert.deepEqual(parts, ['GET', url, '200 OK', '123 ms (login 45 ms)', '115 B']);
  });

  it('shows hostile HTML, JSON strings and header values as text only', async () => {
    const html = `<script>fetch('${harness.origin}/exfil')</script><img src=x onerror="fetch('/exfil2')">`;
    const r1 = await deliver({ headers: [['content-type', 'text/html']], text: html });
    assert.equal(r1.mode, 'text');
    assert.equal((await rowsText())[0].trim(), html);
    assert.deepEqual(r1.shownRows, [html], 'the report carries the rows as drawn');
    const r2 = await deliver({
      headers: [
        ['content-type', 'application/json'],
        ['x-evil', '<b onmouseover=alert(1)>'],
      ],
      text: '{"a": "</script><script>alert(1)</script>"}',
    });
    assert.equal(r2.mode, 'json');
    assert.ok((await rowsText()).join('').includes('"</script><script>alert(1)</script>"'));
    await page.click('button.tab[data-tab="headers"]');
    assert.equal(await page.textContent('.tab-headers td:nth-of-type(1) >> nth=1'), '<b onmouseover=alert(1)>');
    assert.deepEqual(r2.headerRows, ['content-type: application/json', 'x-evil: <b onmouseover=alert(1)>']);
    await page.hover('.tab-headers');
    await page.waitForTimeout(300);
    const counts = await page.evaluate(() => ({
      scripts: document.scripts.length,
      foreign: document.querySelectorAll('img, b, iframe, object, embed, [onerror], [onmouseover]').length,
    }));
    assert.deepEqual(counts, { scripts: 1, foreign: 0 });
    assert.deepEqual(harness.dialogs, []);
    assert.deepEqual(harness.exfilHits, []);
    assert.deepEqual(await page.evaluate(() => window.__harness.violations), []);
  });

  it('shows a body that claims JSON but is not as raw text with a note', async () => {
    const report = await deliver({ text: ")]}',\n{\"ok\": true}" });
    assert.equal(report.mode, 'text');
    assert.match(report.note ?? '', /Not valid JSON/);
    assert.deepEqual((await rowsText()).map((r) => r.trim()), [")]}',", '{"ok": true}']);
    const next = await deliver({ text: '{"ok": true}' });
    assert.equal(next.mode, 'json');
    assert.equal(next.note, undefined);
  });

  it('says "No content" for a 204 without a warning', async () => {
    const report = await deliver({ status: 204, statusText: 'No Content', text: '' });
    assert.equal(report.mode, 'empty');
    assert.equal(report.note, undefined);
    assert.equal((await page.textContent('.body-content'))?.trim(), 'No content');
    assert.equal(await page.$$eval('.note', (n) => n.length), 0);
  });

  it('folds and unfolds objects and arrays', async () => {
    await deliver({ text: '{"a": {"b": 1, "c": [1, 2, 3]}, "d": true}' });
    const before = await rowsText();
    assert.equal(before.length, 11);
    await page.click('.row[data-row="1"] .fold');
    const folded = await rowsText();
    assert.equal(folded.length, 4);
    assert.match(folded[1], /"a": \{ … 6 rows \},/);
    assert.match(folded[2], /"d": true/);
    await page.click('.row[data-row="1"] .fold');
    assert.deepEqual(await rowsText(), before);
    await page.click('text=Collapse all');
    assert.equal((await rowsText()).length, 4);
  });

  it('finds text, counts hits and reveals folded ones', async () => {
    await deliver({ text: '{"a": {"needle": 1}, "b": ["needle", "x"], "c": "NEEDLE"}' });
    await page.click('text=Collapse all');
    await page.fill('.find-input', 'needle');
    await page.waitForFunction(() => document.querySelector('.find-count')?.textContent === '1 of 3');
    await page.press('.find-input', 'Enter');
    await page.waitForFunction(() => document.querySelector('.find-count')?.textContent === '2 of 3');
    const current = await page.textContent('mark.current');
    assert.equal(current, 'needle');
    const row = await page.$eval('mark.current', (m) => m.closest('.row')?.textContent ?? '');
    assert.match(row, /^\s*"needle",$/);
    await page.press('.find-input', 'Shift+Enter');
    await page.waitForFunction(() => document.querySelector('.find-count')?.textContent === '1 of 3');
    await page.fill('.find-input', 'NEEDLE');
    await page.waitForFunction(() => document.querySelector('.find-count')?.textContent === '1 of 1');
  });

  it('summarises a binary body and offers to save it', async () => {
    const png = [0x89, 0x50, 0x4e, 0x47, 0, 1, 2];
    const report = await deliver({ headers: [['content-type', 'image/png']], bytes: png });
    assert.equal(report.mode, 'binary');
    assert.match((await page.textContent('.binary-summary')) ?? '', /Binary body: image\/png, 7 B/);
    await page.click('.binary-summary button');
    assert.equal((await posted('save')).length, 1);
    assert.equal(await page.isDisabled('button[data-action="Copy"]'), true);
  });

  it('decodes text with the declared latin1 charset', async () => {
    const report = await deliver({
      headers: [['content-type', 'text/plain; charset=ISO-8859-1']],
      bytes: [0x63, 0x61, 0x66, 0xe9, 0x0a, 0xa3, 0x31],
    });
    assert.deepEqual(report.firstLines, ['café', '£1']);
    assert.deepEqual((await rowsText()).map((r) => r.trim()), ['café', '£1']);
  });

  it('masks cookies in the persisted state and restores from it after a reload', async () => {
    await deliver({
      headers: [
        ['content-type', 'application/json'],
        ['set-cookie', 'session=s3cr3t-value; Path=/; HttpOnly'],
      ],
      requestHeaders: [['cookie', 'session=s3cr3t-value']],
      text: CASE1,
    });
    const state = await page.evaluate(() => sessionStorage.getItem('viewer-harness-state') ?? '');
    assert.ok(state.length > 0);
    assert.ok(!state.includes('s3cr3t'), 'the cookie value must not be persisted');
    await page.reload();
    await page.waitForFunction(() => window.__harness.posted.some((m) => m.type === 'rendered'));
    assert.ok((await rowsText()).join('\n').includes('1234567890123456789'));
  });

  it('renders the first rows of a 10 MB answer and scrolls to its end', async () => {
    const text = await page.evaluate(() => {
      const t = window.__harness.jsonOfSize(10 * 1024 * 1024);
      (window as unknown as { bigText: string }).bigText = t;
      return { length: t.length, tail: t.slice(-40) };
    });
    assert.ok(text.length >= 10 * 1024 * 1024);
    const big = await page.evaluate(() => (window as unknown as { bigText: string }).bigText);
    const first = await deliver({ text: big }, false);
    assert.equal(first.mode, 'json');
    assert.equal(first.firstLines[0], '{');
    assert.ok((await rowsText()).length > 10);
    const seq = first.seq;
    await page.waitForFunction(
      (s) => window.__harness.posted.some((m) => m.type === 'rendered' && m.seq === s && m.complete),
      seq,
      { timeout: 30000 },
    );
    await page.$eval('.scroller', (s) => (s.scrollTop = s.scrollHeight));
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.layer .row:not([hidden])')].map((r) => r.textContent ?? '');
      return rows.some((r) => /"count": \d+/.test(r)) && rows[rows.length - 1].trim() === '}';
    });
  });

  it('ignores messages that are not part of the protocol', async () => {
    await page.evaluate(() => {
      window.postMessage({ type: 'responseStart', seq: 1, meta: { evil: true }, chunkCount: 1 }, '*');
      window.postMessage('<img src=x onerror=alert(1)>', '*');
      window.postMessage({ type: 'responseEnd', seq: 1 }, '*');
    });
    const report = await deliver({ text: '[1]' });
    assert.equal(report.mode, 'json');
    assert.equal(await page.$$eval('img', (n) => n.length), 0);
  });
});
