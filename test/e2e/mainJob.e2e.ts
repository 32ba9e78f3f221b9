import * as assert from 'assert';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { e2eSession, openWorkbench } from './e2eSession';
import {
  activeWebview,
  answerInput,
  chooseFile,
  pickItem,
  runCommand,
  screenshot,
  statusBarItem,
  waitForQuickInput,
} from './workbench';

suite('Main job: import a key, see who I am, send a request', () => {
  let page: Page;
  let username: string;

  suiteSetup(async () => {
    username = e2eSession().env.accounts.valid.username;
    page = await openWorkbench();
  });

  test('importing valid.json names the account in the status bar', async () => {
    await runCommand(page, 'Noon: Import Credentials');
    await chooseFile(page, path.join(e2eSession().env.keysDir, 'valid.json'));
    await statusBarItem(page, username).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'signed-in');
    assert.match(await statusBarItem(page, username).innerText(), new RegExp(escape(username)));
  });

  test('Send Request GET /identity/v1/whoami shows 200 and the username', async () => {
    await runCommand(page, 'Noon: Send Request');
    await waitForQuickInput(page, /method/i);
    await pickItem(page, 'GET');
    await waitForQuickInput(page, /path/i);
    await answerInput(page, '/identity/v1/whoami');
    await waitForQuickInput(page, /headers/i);
    await answerInput(page, '');

    const view = activeWebview(page);
    await view.getByText(/\b200\b/).first().waitFor({ state: 'visible', timeout: 30_000 });
    await view.getByText(username).first().waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'whoami-response');
    const text = await view.locator('body').innerText();
    assert.match(text, /\b200\b/);
    assert.ok(text.includes(username), 'the response does not show the username');
    // Signed in now: the status bar shows the whoami username with the project code.
    const project = e2eSession().env.accounts.valid.projectCode;
    await statusBarItem(page, `${username} · ${project}`).waitFor({ state: 'visible', timeout: 10_000 });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
