import * as assert from 'assert';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { LOGIN_PATH } from '../gateway/gateway';
import { closeWorkbench, e2eSession, openWorkbench } from './e2eSession';
import {
  activeWebview,
  clearNotifications,
  clickNotificationButton,
  importKeyFile,
  noonStatusItem,
  notificationToast,
  responseTab,
  runCommand,
  screenshot,
  sendRequestFromPalette,
  waitForNoonStatus,
  waitUntil,
} from './workbench';

const WHOAMI = '/identity/v1/whoami';
/** A username built to turn into icons and a command link if it were rendered as markup. */
const HOSTILE_USERNAME = '$(warning) ADMIN $(sync~spin) [x](command:workbench.action.quit)';

suite('Safety: server text stays text, Cancel really cancels, a refused key does not loop', () => {
  let page: Page | undefined;
  const env = () => e2eSession().env;
  const gateway = () => env().gateway;
  const validKey = () => path.join(env().keysDir, 'valid.json');

  /** A fresh browser (no stored accounts) with valid.json imported. */
  async function freshWorkbenchWithKey(): Promise<Page> {
    const opened = await openWorkbench();
    page = opened;
    await waitForNoonStatus(opened, 'Import Key');
    await importKeyFile(opened, validKey());
    await waitForNoonStatus(opened, env().accounts.valid.username);
    return opened;
  }

  setup(async () => {
    // The previous test's browser is closed only now, so a failure screenshot can still be taken of it.
    if (page) await closeWorkbench(page).catch(() => undefined);
    page = undefined;
    gateway().reset();
  });

  test('a whoami username full of icon and link syntax shows as plain characters, also in the tooltip', async () => {
    const p = await freshWorkbenchWithKey();
    gateway().script({
      match: WHOAMI,
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_code: 'u-1', username: HOSTILE_USERNAME }),
    });
    await runCommand(p, 'Noon: Sign In');
    const text = await waitForNoonStatus(p, 'ADMIN');
    const item = noonStatusItem(p);
    assert.ok(text.includes('$(warning) ADMIN $(sync~spin) [x]('), `the characters are shown as typed: ${text}`);
    assert.strictEqual(await item.locator('.codicon-warning, .codicon-sync, .codicon-modifier-spin').count(), 0);
    assert.strictEqual(await item.locator('.codicon').count(), 1, 'only the item own icon is rendered');
    assert.strictEqual(await item.locator('[href], [data-href]').count(), 0, 'no link in the status bar item');

    await item.hover();
    const hover = p.locator('.workbench-hover', { hasText: 'ADMIN' });
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(p, 'safety-hostile-tooltip');
    const tooltip = (await hover.innerText()).replace(/\u00a0/g, ' ');
    assert.ok(tooltip.includes(HOSTILE_USERNAME), `the tooltip shows the username literally: ${tooltip}`);
    const anchors = await hover.locator('a').evaluateAll((els) => els.map((e) => e.outerHTML));
    assert.deepStrictEqual(anchors, [], 'no link of any kind in the tooltip');
    assert.strictEqual(await hover.locator('.codicon').count(), 0, 'no icon in the tooltip');
  });

  test('Cancel on the progress notification drops the request quietly, and the next request works', async () => {
    const p = await freshWorkbenchWithKey();
    const { valid } = env().accounts;
    await runCommand(p, 'Noon: Sign In');
    await waitForNoonStatus(p, `${valid.username} · ${valid.projectCode}`);
    await clearNotifications(p);

    gateway().setLatency(5_000);
    const before = gateway().stats().requests.length;
    await sendRequestFromPalette(p, 'GET', WHOAMI);
    await waitUntil(() => gateway().stats().requests.length > before, 'the request reaches the gateway');
    await clickNotificationButton(p, `GET ${WHOAMI}`, 'Cancel');
    await notificationToast(p, `GET ${WHOAMI}`).waitFor({ state: 'hidden', timeout: 10_000 });

    // Let the held answer come due (and a little more): a request that lived on would be shown by then.
    const answerDue = gateway().stats().requests[before].at + 5_000 + 1_500;
    await p.waitForTimeout(Math.max(0, answerDue - Date.now()));
    assert.strictEqual(await p.locator(`.tab[aria-label*="${WHOAMI}"]`).count(), 0, 'no response panel opened');
    const errorToasts = p.locator('.notifications-toasts .notification-toast', { has: p.locator('.codicon-error') });
    const errors = await errorToasts.allInnerTexts();
    assert.deepStrictEqual(errors, [], 'no error notification');
    assert.ok((await noonStatusItem(p).innerText()).includes(valid.username), 'still signed in');

    gateway().setLatency(0);
    await sendRequestFromPalette(p, 'GET', WHOAMI);
    await responseTab(p, '200 GET').waitFor({ state: 'visible', timeout: 30_000 });
    await activeWebview(p).getByText(/\b200\b/).first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.strictEqual(gateway().stats().logins, 1, 'the cancelled request did not cost the session');
  });

  test('a refused key shows the server message with Retry and Import Other Credentials, and nothing retries', async () => {
    const p = await freshWorkbenchWithKey();
    gateway().script({
      match: LOGIN_PATH,
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        status_id: 16,
        status_code: 'UNAUTHENTICATED',
        message: 'key is deactivated',
        details: [],
      }),
      times: Infinity,
    });
    await runCommand(p, 'Noon: Sign In');
    await waitForNoonStatus(p, 'sign-in failed');
    await notificationToast(p, 'key is deactivated').waitFor({ state: 'visible', timeout: 15_000 });
    await clearNotifications(p);

    await noonStatusItem(p).click();
    const toast = notificationToast(p, 'Noon sign-in failed');
    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(p, 'safety-refused-key');
    assert.match(await toast.innerText(), /key is deactivated/);
    const buttons = await toast.locator('.monaco-button').allInnerTexts();
    assert.ok(buttons.includes('Retry') && buttons.includes('Import Other Credentials'), `offered: ${buttons}`);

    // Nothing tries again by itself.
    await p.waitForTimeout(3_000);
    let stats = gateway().stats();
    assert.strictEqual(stats.failedLogins, 1, 'one refused login, no retry loop');
    assert.strictEqual(stats.logins, 0);

    // Retry is one more attempt, and only one.
    await clickNotificationButton(p, 'Noon sign-in failed', 'Retry');
    await waitUntil(() => gateway().stats().failedLogins >= 2, 'Retry tries once more');
    await waitForNoonStatus(p, 'sign-in failed');
    await p.waitForTimeout(3_000);
    stats = gateway().stats();
    assert.strictEqual(stats.failedLogins, 2, 'Retry made exactly one attempt');
    assert.strictEqual(stats.requests.filter((r) => r.path !== LOGIN_PATH).length, 0, 'no call after a refused login');
  });
});
