import * as path from 'path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { resultsDir } from '../host/paths';

const quickInput = (page: Page): Locator => page.locator('.quick-input-widget');
const quickInputBox = (page: Page): Locator => quickInput(page).locator('.quick-input-box input');

/** Waits until the workbench has loaded and the extension host is connected. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.statusbar').waitFor({ timeout: 60_000 });
}

/**
 * Runs a command from the palette (F1). Retries the way VS Code's own smoke tests do: F1 can be lost
 * while the workbench is still settling, and the quick input closes if anything steals focus.
 */
export async function runCommand(page: Page, title: string, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('F1');
      await quickInputBox(page).waitFor({ state: 'visible', timeout: 3_000 });
      await quickInputBox(page).fill(`>${title}`, { timeout: 3_000 });
      const row = quickInput(page).locator('.monaco-list-row', { hasText: title }).first();
      await row.waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch (err) {
      if (attempt >= attempts) throw err;
      await page.keyboard.press('Escape').catch(() => undefined);
    }
  }
  await page.keyboard.press('Enter');
}

/** Waits for an open quick input whose title or prompt contains `text`. */
export async function waitForQuickInput(page: Page, text: string | RegExp, timeout = 15_000): Promise<void> {
  await quickInput(page).filter({ hasText: text }).waitFor({ state: 'visible', timeout });
}

/** Chooses the item labelled `label` in the open quick pick. */
export async function pickItem(page: Page, label: string): Promise<void> {
  await quickInputBox(page).fill(label);
  const row = quickInput(page).locator('.monaco-list-row', { has: page.getByText(label, { exact: true }) }).first();
  await row.waitFor({ state: 'visible', timeout: 5_000 });
  await row.click();
}

/** Types `value` into the open input box (replacing what is there) and accepts it. */
export async function answerInput(page: Page, value: string): Promise<void> {
  await quickInputBox(page).waitFor({ state: 'visible', timeout: 15_000 });
  await quickInputBox(page).fill(value);
  await page.keyboard.press('Enter');
}

/**
 * Answers a file-open dialog. The web workbench shows its simple dialog, a quick input holding a path:
 * the full path of the file is typed and accepted, as a keyboard user would.
 */
export async function chooseFile(page: Page, file: string): Promise<void> {
  // The palette's quick input is still on screen while the dialog opens; typing before the dialog
  // has put its starting folder into the box would be overwritten.
  await page.waitForFunction(
    () => document.querySelector<HTMLInputElement>('.quick-input-widget .quick-input-box input')?.value.startsWith('/'),
    undefined,
    { timeout: 15_000 },
  );
  // The dialog re-reads the folder as the path changes and ignores Enter while it does: retry
  // until it accepts, putting the path back if the dialog rewrote it meanwhile.
  for (let attempt = 1; ; attempt++) {
    if ((await quickInputBox(page).inputValue()) !== file) await quickInputBox(page).fill(file);
    await page.keyboard.press('Enter');
    try {
      await quickInput(page).waitFor({ state: 'hidden', timeout: 2_000 });
      return;
    } catch (err) {
      if (attempt >= 8) throw err;
    }
  }
}

/** The status bar entry whose text contains `text`. */
export function statusBarItem(page: Page, text: string | RegExp): Locator {
  return page.locator('.statusbar-item', { hasText: text }).first();
}

/**
 * The document inside the active webview. VS Code puts each webview two frames deep: an outer
 * `iframe.webview` served by the workbench, and the extension's page in its `#active-frame`.
 */
export function activeWebview(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready').last().contentFrame().frameLocator('iframe#active-frame');
}

/** Saves a full-window screenshot as `test-results/e2e-<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(resultsDir, `e2e-${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The extension's own status bar entry; the workbench gives it the id `<extension id>.<item id>`. */
export function noonStatusItem(page: Page): Locator {
  return page.locator('[id="noon-tools.noon-vscode.noon.status"]');
}

/** Waits until the extension's status bar entry shows `text` (a substring, or a pattern) and returns its text. */
export async function waitForNoonStatus(page: Page, text: string | RegExp, timeout = 30_000): Promise<string> {
  await noonStatusItem(page).filter({ hasText: text }).waitFor({ state: 'visible', timeout });
  return noonStatusItem(page).innerText();
}

/** The notification toast whose message contains `text`. */
export function notificationToast(page: Page, text: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
}

/** Clicks the button labelled `button` on the toast that says `text`, once it shows. */
export async function clickNotificationButton(page: Page, text: string | RegExp, button: string): Promise<void> {
  const toast = notificationToast(page, text);
  await toast.waitFor({ state: 'visible', timeout: 30_000 });
  await toast.locator('.monaco-button', { hasText: button }).first().click();
}

/** Clears every notification, so the next toast is not hidden behind older ones. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Clicks `label` on the modal dialog once it shows. */
export async function clickDialogButton(page: Page, label: string): Promise<void> {
  const box = page.locator('.monaco-dialog-box');
  await box.waitFor({ state: 'visible', timeout: 15_000 });
  await box.locator('.monaco-button', { hasText: label }).first().click();
  await box.waitFor({ state: 'hidden', timeout: 15_000 });
}

/** The text of every row of the open quick pick (label, description and detail together). */
export async function quickPickRows(page: Page): Promise<string[]> {
  const rows = quickInput(page).locator('.monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
  return rows.allInnerTexts();
}

/** The password-or-text type of the open input box. */
export async function inputBoxType(page: Page): Promise<string> {
  await quickInputBox(page).waitFor({ state: 'visible', timeout: 15_000 });
  return (await quickInputBox(page).getAttribute('type')) ?? 'text';
}

/**
 * Runs "Noon: Send Request" from the palette and answers its prompts (no extra headers; for methods
 * with a body, `body` or the default `{}`).
 */
export async function sendRequestFromPalette(page: Page, method: string, requestPath: string, body = ''): Promise<void> {
  await runCommand(page, 'Noon: Send Request');
  await waitForQuickInput(page, /method/i);
  await pickItem(page, method);
  await waitForQuickInput(page, /path/i);
  await answerInput(page, requestPath);
  await waitForQuickInput(page, /headers/i);
  await answerInput(page, '');
  if (!['GET', 'DELETE'].includes(method)) {
    await waitForQuickInput(page, /body/i);
    await answerInput(page, body);
  }
  await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The editor tab of a response panel whose title starts with `title` (for example "200 GET"). */
export function responseTab(page: Page, title: string): Locator {
  return page.locator(`.tab[aria-label^="${title.replace(/["\\]/g, '\\$&')}"]`).first();
}

/** Sets the level of one log channel ("Noon", "Window", ...) through "Developer: Set Log Level...". */
export async function setLogLevel(page: Page, channel: string, level: string): Promise<void> {
  await runCommand(page, 'Developer: Set Log Level');
  // The picker fills in after the palette closes; filtering before that would type into the palette.
  await quickInput(page).locator('.monaco-list-row', { hasText: channel }).first().waitFor({ timeout: 15_000 });
  await pickItem(page, channel);
  await pickItem(page, level);
  await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Reloads the page and waits for the workbench to come back. */
export async function reloadWorkbench(page: Page): Promise<void> {
  await page.reload();
  await waitForWorkbench(page);
}

/** Imports a key file through "Noon: Import Credentials" and the file dialog. */
export async function importKeyFile(page: Page, file: string): Promise<void> {
  await runCommand(page, 'Noon: Import Credentials');
  await chooseFile(page, file);
}

/** Polls `check` until it holds; fails with `what` after `timeout` ms. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeout = 15_000,
): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
