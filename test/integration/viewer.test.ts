import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as vscode from 'vscode';
import type { NoonApi } from '../../src/extension';
import type { RenderedReport } from '../../src/core/protocol';
import { GZIP_JSON, LATIN1_TEXT, gradientPng } from '../gateway/testPaths';
import { gateway, gatewayUrl, keyFile, noon, removeAllAccounts, until } from './support';

const CASE1 =
  '{"order_nr": 1234567890123456789, "items": [{"id": 9007199254740993, "price": 10.10}], "min": -9223372036854775808}';
const CASE1_DIGITS = ['1234567890123456789', '9007199254740993', '10.10', '-9223372036854775808'];

const json = { 'content-type': 'application/json' };

const send = (path: string) => vscode.commands.executeCommand('noon.sendRequest', { path });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Loopback listener that records every request: the browser trusts plain http, unlike the gateway's test CA. */
async function startRecorder(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(204, { 'access-control-allow-origin': '*' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${port}`, hits, close };
}

function responseTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('noon.response'));
}

suite('Response viewer', () => {
  let api: NoonApi;

  /** Sends a request and waits until its panel has rendered the whole body. */
  async function show(path: string): Promise<RenderedReport> {
    await send(path);
    const report = await api.lastResponseView({ complete: true });
    assert.ok(report, `no rendered view for ${path}`);
    return report;
  }

  async function scripted(path: string, status: number, headers: Record<string, string>, body?: string) {
    await gateway().script({ match: path, status, headers, ...(body !== undefined ? { body } : {}) });
    return show(path);
  }

  suiteSetup(async () => {
    api = await noon();
    await gateway().reset();
    await removeAllAccounts(api);
    await vscode.commands.executeCommand('noon.importCredentials', keyFile('valid.json'));
  });

  setup(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await gateway().reset();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('big and decimal numbers keep their digits when shown, opened, copied and saved', async () => {
    const report = await scripted('/orders/v1/case1', 200, json, CASE1);
    assert.strictEqual(report.mode, 'json');
    const model = report.firstLines.join('\n');
    const drawn = (report.shownRows ?? []).join('\n');
    for (const digits of CASE1_DIGITS) {
      assert.ok(model.includes(digits), `${digits} in the first rows:\n${model}`);
      assert.ok(drawn.includes(digits), `${digits} drawn in the page:\n${drawn}`);
    }
    assert.ok(drawn.includes('"price": 10.10'), drawn);
    assert.ok(!/1234567890123456800|9007199254740992|\b10\.1\b(?!0)/.test(drawn), drawn);

    const uri = await vscode.commands.executeCommand<vscode.Uri>('noon.response.openInEditor');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor tab is open');
    assert.strictEqual(editor.document.uri.toString(), uri.toString());
    assert.strictEqual(editor.document.languageId, 'json');
    const opened = editor.document.getText();
    for (const digits of CASE1_DIGITS) assert.ok(opened.includes(digits), `${digits} in the editor:\n${opened}`);
    assert.ok(opened.includes('"price": 10.10'), opened);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    const copied = await vscode.commands.executeCommand<string>('noon.response.copyBody');
    assert.strictEqual(copied, CASE1);
    assert.strictEqual(await vscode.env.clipboard.readText(), CASE1);

    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the test window has a workspace folder');
    const target = vscode.Uri.joinPath(folder, 'case1-body.json');
    const saved = await vscode.commands.executeCommand<vscode.Uri>('noon.response.saveBody', target);
    assert.strictEqual(saved.toString(), target.toString());
    assert.deepStrictEqual(Buffer.from(await vscode.workspace.fs.readFile(target)), Buffer.from(CASE1, 'utf8'));
    await vscode.workspace.fs.delete(target);
  });

  test('a copied cURL command masks the session cookie', async () => {
    await scripted('/orders/v1/case1', 200, json, CASE1);
    const sent = (await gateway().stats()).requests.find((r) => r.path === '/orders/v1/case1');
    const cookie = String(sent?.headers.cookie ?? '');
    const sid = /_npsid=([^;]+)/.exec(cookie)?.[1];
    assert.ok(sid && sid.length >= 16, `the request carried a session cookie: ${cookie}`);

    const command = await vscode.commands.executeCommand<string>('noon.response.copyCurl', false);
    const clipboard = await vscode.env.clipboard.readText();
    assert.strictEqual(clipboard, command);
    assert.match(clipboard, /^curl /);
    assert.ok(clipboard.includes(`${gatewayUrl()}/orders/v1/case1`), clipboard);
    assert.match(clipboard, /Cookie: <masked>/);
    assert.ok(!clipboard.includes(sid), 'the session id must not be copied');
  });

  test('hostile markup in bodies and headers is shown as text and never runs', async () => {
    const recorder = await startRecorder();
    try {
      const gw = gatewayUrl();
      const html =
        `<script>fetch('${gw}/exfil')</script><img src=x onerror="fetch('/exfil2')">` +
        `<img src="${recorder.url}/exfil-img"><script>fetch('${recorder.url}/exfil-script')</script>`;
      const r1 = await scripted('/hostile/html', 200, { 'content-type': 'text/html' }, html);
      assert.strictEqual(r1.mode, 'text');
      assert.strictEqual(r1.firstLines[0], html);
      assert.strictEqual(r1.shownRows?.[0], html, 'the browser shows the markup as characters');

      const value = '</script><script>alert(1)</script>';
      const body = JSON.stringify({ a: value, b: `<img src=x onerror="fetch('${recorder.url}/exfil-json')">` });
      const headers = {
        ...json,
        'x-evil': '<b onmouseover=alert(1)>',
        'x-evil-img': `<img src="${recorder.url}/exfil-header">`,
      };
      const r2 = await scripted('/hostile/json', 200, headers, body);
      assert.strictEqual(r2.mode, 'json');
      assert.ok((r2.shownRows ?? []).some((row) => row.includes(`"a": "${value}"`)), JSON.stringify(r2.shownRows));
      assert.ok(r2.headerRows?.includes('x-evil: <b onmouseover=alert(1)>'), JSON.stringify(r2.headerRows));
      assert.ok(r2.headerRows?.includes(`x-evil-img: <img src="${recorder.url}/exfil-header">`));

      // Give anything that might have been let loose time to reach a listener.
      await sleep(1500);
      assert.deepStrictEqual((await gateway().stats()).exfil, []);
      assert.deepStrictEqual(recorder.hits, []);
    } finally {
      await recorder.close();
    }
  });

  test('a body that claims JSON but is not is shown raw with a note; the next request is normal', async () => {
    const report = await scripted('/broken/json', 200, json, ")]}',\n{\"ok\": true}");
    assert.strictEqual(report.mode, 'text');
    assert.strictEqual(report.bodyKind, 'json');
    assert.match(report.note ?? '', /Not valid JSON/);
    assert.deepStrictEqual(report.firstLines, [")]}',", '{"ok": true}']);
    assert.deepStrictEqual(report.shownRows, [")]}',", '{"ok": true}']);

    const next = await show('/identity/v1/whoami');
    assert.strictEqual(next.status, 200);
    assert.strictEqual(next.mode, 'json');
    assert.strictEqual(next.note, undefined);
    assert.ok(next.firstLines.some((line) => line.includes('"username"')), next.firstLines.join('\n'));
  });

  test('204 with a JSON content type says "No content" without a note', async () => {
    const report = await scripted('/empty/answer', 204, json);
    assert.strictEqual(report.status, 204);
    assert.strictEqual(report.mode, 'empty');
    assert.strictEqual(report.note, undefined);
    assert.deepStrictEqual(report.shownRows, ['No content']);
  });

  test('a binary body is summarised and saved byte for byte', async () => {
    const report = await show('/test/binary');
    assert.strictEqual(report.mode, 'binary');
    assert.match(report.shownRows?.[0] ?? '', /Binary body: image\/png, \d+ B/);
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const target = vscode.Uri.joinPath(folder, 'binary-body.png');
    await vscode.commands.executeCommand('noon.response.saveBody', target);
    assert.deepStrictEqual(Buffer.from(await vscode.workspace.fs.readFile(target)), gradientPng());
    await vscode.workspace.fs.delete(target);
  });

  test('a gzip answer is shown decoded, with its exact digits', async () => {
    const report = await show('/test/gzip');
    assert.strictEqual(report.mode, 'json');
    const drawn = (report.shownRows ?? []).join('\n');
    assert.ok(drawn.includes('"order_nr": 1234567890123456789'), drawn);
    assert.ok(drawn.includes('"price": 10.10'), drawn);
    assert.strictEqual(await vscode.commands.executeCommand('noon.response.copyBody'), GZIP_JSON);
  });

  test('a latin1 answer is decoded with its charset, and saved as the bytes received', async () => {
    const report = await show('/test/latin1');
    assert.strictEqual(report.mode, 'text');
    assert.strictEqual(report.shownRows?.[0], LATIN1_TEXT.trimEnd());
    assert.strictEqual(await vscode.commands.executeCommand('noon.response.copyBody'), LATIN1_TEXT);
    const target = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'latin1.txt');
    await vscode.commands.executeCommand('noon.response.saveBody', target);
    assert.deepStrictEqual(Buffer.from(await vscode.workspace.fs.readFile(target)), Buffer.from(LATIN1_TEXT, 'latin1'));
    await vscode.workspace.fs.delete(target);
  });

  test('a 10 MB answer renders completely while the extension host keeps running', async function () {
    this.timeout(90_000);
    let last = Date.now();
    let longestGap = 0;
    const heartbeat = setInterval(() => {
      const now = Date.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 25);
    let report: RenderedReport;
    try {
      report = await show(`/test/big?bytes=${10 * 1024 * 1024}`);
    } finally {
      clearInterval(heartbeat);
    }
    assert.strictEqual(report.complete, true);
    assert.strictEqual(report.mode, 'json');
    assert.ok(report.lineCount > 100_000, `${report.lineCount} rows`);
    assert.strictEqual(report.firstLines[0], '[');
    assert.ok(report.firstLines.some((line) => line.includes('"id": 9007199254740993')), report.firstLines.join('\n'));
    assert.ok(report.firstLines.some((line) => line.includes('"price": 10.00')), report.firstLines.join('\n'));
    // A sanity check, not a speed goal: a blocked host would stall the heartbeat for seconds.
    assert.ok(longestGap < 1500, `the extension host stalled for ${longestGap} ms`);
  });

  test('responses reuse one panel unless noon.response.openInNewPanel is on', async () => {
    const config = () => vscode.workspace.getConfiguration('noon');
    await show('/identity/v1/whoami');
    await show('/identity/v1/whoami');
    await until(() => responseTabs().length === 1, 'one response tab');
    await sleep(300);
    assert.strictEqual(responseTabs().length, 1);

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until(() => responseTabs().length === 0, 'no response tab');
    await config().update('response.openInNewPanel', true, vscode.ConfigurationTarget.Global);
    try {
      await show('/identity/v1/whoami');
      await show('/identity/v1/whoami');
      await until(() => responseTabs().length === 2, 'two response tabs');
    } finally {
      await config().update('response.openInNewPanel', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
