import * as assert from 'assert';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { closeWorkbench, e2eSession, openWorkbench } from './e2eSession';
import {
  activeWebview,
  importKeyFile,
  responseTab,
  runCommand,
  screenshot,
  sendRequestFromPalette,
  waitForNoonStatus,
  waitForWorkbench,
} from './workbench';

const CASE_1_BODY =
  '{"order_nr": 1234567890123456789, "items": [{"id": 9007199254740993, "price": 10.10}], "min": -9223372036854775808}';

suite('Response viewer in the workbench', () => {
  let page: Page | undefined;
  const env = () => e2eSession().env;

  suiteSetup(async () => {
    env().gateway.reset();
    page = await openWorkbench({ profile: 'viewer' });
    await importKeyFile(page, path.join(env().keysDir, 'valid.json'));
    await waitForNoonStatus(page, env().accounts.valid.username);
  });

  suiteTeardown(async () => {
    if (page) await closeWorkbench(page).catch(() => undefined);
  });

  test('exact numbers on screen, and the panel comes back after Reload Window', async () => {
    const p = page!;
    env().gateway.script({
      match: '/fbpi/v1/fbpi-orders/list',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: CASE_1_BODY,
      times: Infinity,
    });
    await sendRequestFromPalette(p, 'POST', '/fbpi/v1/fbpi-orders/list');
    await responseTab(p, '200 POST').waitFor({ state: 'visible', timeout: 30_000 });
    const view = activeWebview(p);
    for (const digits of ['1234567890123456789', '9007199254740993', '10.10', '-9223372036854775808']) {
      await view.getByText(digits, { exact: false }).first().waitFor({ state: 'visible', timeout: 15_000 });
    }
    await screenshot(p, 'viewer-exact-numbers');

    const requestsBefore = env().gateway.stats().requests.length;
    // Reload through the workbench, as a user would, so it saves its editors first.
    await runCommand(p, 'Developer: Reload Window');
    await waitForWorkbench(p);
    await responseTab(p, '200 POST').waitFor({ state: 'visible', timeout: 30_000 });
    await responseTab(p, '200 POST').click();
    const restored = activeWebview(p);
    await restored.getByText('1234567890123456789', { exact: false }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(p, 'viewer-restored');
    assert.strictEqual(env().gateway.stats().requests.length, requestsBefore, 'restoring sends nothing');
  });
});
