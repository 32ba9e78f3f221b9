import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { MASK } from '../../src/core/redact';
import type { RecordedRequest, TestAccount } from '../gateway/gateway';
import { generateTestKey, type GeneratedTestKey } from '../gateway/keys';
import { resultsDir } from '../host/paths';
import { closeWorkbench, e2eSession, openWorkbench, profileDir } from './e2eSession';
import {
  cookieValuesSent,
  dumpBrowserStorage,
  gatewayNeedles,
  listFiles,
  privateKeyNeedles,
  scanDump,
  scanFiles,
  type Finding,
  type Needle,
} from './secretScan';
import {
  answerInput,
  clearNotifications,
  clickDialogButton,
  clickNotificationButton,
  importKeyFile,
  inputBoxType,
  noonStatusItem,
  notificationToast,
  pickItem,
  quickPickRows,
  reloadWorkbench,
  responseTab,
  runCommand,
  screenshot,
  sendRequestFromPalette,
  setLogLevel,
  waitForNoonStatus,
  waitForQuickInput,
  waitUntil,
} from './workbench';

const WHOAMI = '/identity/v1/whoami';
const PROFILE = 'accounts';

/** The status bar text of a signed-in account: the whoami username and the project. */
const signedInAs = (a: TestAccount): string => `${a.username} · ${a.projectCode}`;

function privateKeyOf(keyFile: string): string {
  return (JSON.parse(fs.readFileSync(keyFile, 'utf8')) as { private_key: string }).private_key;
}

function sessionCookie(request: RecordedRequest | undefined): string | undefined {
  const header = String(request?.headers.cookie ?? '');
  return /(?:^|;\s*)_npsid=([^;]+)/.exec(header)?.[1];
}

/** The extension's log files (one per extension host start) in the server's user data. */
function noonLogFiles(): string[] {
  return listFiles(e2eSession().run.userData).filter((f) => path.basename(f) === 'Noon.log');
}

function noonLogText(): string {
  return noonLogFiles()
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n');
}

suite('Accounts: credentials that never get lost or leak', () => {
  let page: Page;
  /** Keys made for this scenario only, registered at the gateway. */
  let pasted: GeneratedTestKey;
  let inWorkspaceDeleted: GeneratedTestKey;
  let inWorkspaceKept: GeneratedTestKey;
  const env = () => e2eSession().env;
  const gateway = () => env().gateway;
  const whoamiCalls = () => gateway().stats().requests.filter((r) => r.path === WHOAMI);

  suiteSetup(async () => {
    gateway().reset();
    [pasted, inWorkspaceDeleted, inWorkspaceKept] = [generateTestKey(), generateTestKey(), generateTestKey()];
    for (const key of [pasted, inWorkspaceDeleted, inWorkspaceKept]) gateway().register(key.account);
    // A profile on disk, like a user's browser, so the scan at the end sees what code-server stored there.
    page = await openWorkbench({ profile: PROFILE });
    // The extension (and with it its log channel) is up once its status bar entry shows.
    await waitForNoonStatus(page, 'Import Key');
    // Debug lines carry the (masked) request headers: the log then shows what masking looks like.
    await setLogLevel(page, 'Noon', 'Trace');
  });

  test('two imported keys: the status menu switches between them and each signs in as its own user', async () => {
    const { valid, second } = env().accounts;
    await importKeyFile(page, path.join(env().keysDir, 'valid.json'));
    await waitForNoonStatus(page, valid.username);
    await importKeyFile(page, path.join(env().keysDir, 'second.json'));
    await waitForNoonStatus(page, second.username);

    await sendRequestFromPalette(page, 'GET', WHOAMI);
    await waitForNoonStatus(page, signedInAs(second));

    await noonStatusItem(page).click();
    const actions = await quickPickRows(page);
    assert.ok(
      actions.some((row) => row.includes('Switch Account')),
      `the status menu offers Switch Account: ${actions}`,
    );
    await pickItem(page, 'Switch Account');
    await waitForQuickInput(page, 'Switch Account');
    const accounts = await quickPickRows(page);
    assert.ok(accounts.some((row) => row.includes(valid.username)), `valid is offered: ${accounts}`);
    assert.ok(accounts.some((row) => row.includes(second.username)), `second is offered: ${accounts}`);
    await pickItem(page, valid.username);
    const switched = await waitForNoonStatus(page, valid.username);
    assert.ok(!switched.includes(second.username), `the status bar left the other account: ${switched}`);

    await sendRequestFromPalette(page, 'GET', WHOAMI);
    await waitForNoonStatus(page, signedInAs(valid));
    await screenshot(page, 'accounts-switched');

    const stats = gateway().stats();
    assert.strictEqual(stats.logins, 2, 'one login per account');
    const calls = whoamiCalls();
    const cookies = new Set(calls.map(sessionCookie));
    assert.ok(calls.length >= 2 && !cookies.has(undefined), 'every whoami carried a session cookie');
    assert.strictEqual(cookies.size, 2, 'the two accounts used two different sessions');

    // Back to the first account: its session is still there, so no login is needed.
    await noonStatusItem(page).click();
    await pickItem(page, 'Switch Account');
    await waitForQuickInput(page, 'Switch Account');
    await pickItem(page, second.username);
    await waitForNoonStatus(page, signedInAs(second));
    assert.strictEqual(gateway().stats().logins, 2, 'switching back reused the stored session');
  });

  test('Paste Credentials masks the input and the pasted key signs in', async () => {
    await runCommand(page, 'Noon: Paste Credentials');
    await waitForQuickInput(page, /Paste Credentials/);
    assert.strictEqual(await inputBoxType(page), 'password', 'the paste box hides what is typed');
    await answerInput(page, pasted.keyFileJson);
    await waitForNoonStatus(page, pasted.account.username);
    await notificationToast(page, /Noon key imported/).waitFor({ state: 'visible', timeout: 15_000 });

    const logins = gateway().stats().logins;
    await sendRequestFromPalette(page, 'GET', WHOAMI);
    await waitForNoonStatus(page, signedInAs(pasted.account));
    assert.strictEqual(gateway().stats().logins, logins + 1, 'the pasted key logged in');
  });

  test('a key file inside the workspace: "Delete File" removes it, "Keep" leaves it', async () => {
    const workspace = e2eSession().run.workspace;
    const doomed = path.join(workspace, 'partner-key.json');
    const kept = path.join(workspace, 'kept-key.json');
    fs.writeFileSync(doomed, inWorkspaceDeleted.keyFileJson, { mode: 0o600 });
    fs.writeFileSync(kept, inWorkspaceKept.keyFileJson, { mode: 0o600 });
    try {
      await clearNotifications(page);
      await importKeyFile(page, doomed);
      await clickNotificationButton(page, /partner-key\.json is inside your workspace/, 'Delete File');
      await waitUntil(() => !fs.existsSync(doomed), 'the imported key file is deleted');
      await waitForNoonStatus(page, inWorkspaceDeleted.account.username);

      await clearNotifications(page);
      await importKeyFile(page, kept);
      await clickNotificationButton(page, /kept-key\.json is inside your workspace/, 'Keep');
      await notificationToast(page, /kept-key\.json is inside your workspace/).waitFor({
        state: 'hidden',
        timeout: 10_000,
      });
      await waitForNoonStatus(page, inWorkspaceKept.account.username);
      // A round trip through the extension after the answer, so a wrong deletion would have happened by now.
      await runCommand(page, 'Noon: Switch Account');
      await pickItem(page, env().accounts.valid.username);
      await waitForNoonStatus(page, signedInAs(env().accounts.valid));
      assert.ok(fs.existsSync(kept), '"Keep" left the file in place');
    } finally {
      // Key material must not stay in the workspace, where the scan at the end looks.
      fs.rmSync(kept, { force: true });
      fs.rmSync(doomed, { force: true });
    }
  });

  test('after failed calls and a relogin, a reload restores the session without logging in', async () => {
    const { valid } = env().accounts;
    await waitForNoonStatus(page, signedInAs(valid));
    // Only panels opened from here on count: an older "200 GET" tab must not satisfy a wait below.
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.tab').first().waitFor({ state: 'hidden', timeout: 10_000 });

    gateway().script({ match: WHOAMI, status: 500 });
    await sendRequestFromPalette(page, 'GET', WHOAMI);
    await responseTab(page, '500 GET').waitFor({ state: 'visible', timeout: 30_000 });
    const after500 = await noonStatusItem(page).innerText();
    assert.ok(after500.includes(signedInAs(valid)), `a 500 answer leaves the session alone: ${after500}`);

    const loginsBefore401 = gateway().stats().logins;
    gateway().script({ match: WHOAMI, status: 401 });
    await sendRequestFromPalette(page, 'GET', WHOAMI);
    await responseTab(page, '200 GET').waitFor({ state: 'visible', timeout: 30_000 });
    assert.strictEqual(gateway().stats().logins, loginsBefore401 + 1, 'a 401 causes exactly one new login');

    gateway().script({ match: WHOAMI, status: 429, headers: { 'retry-after': '120' } });
    await sendRequestFromPalette(page, 'GET', WHOAMI);
    await responseTab(page, '429 GET').waitFor({ state: 'visible', timeout: 30_000 });
    const warning = await notificationToast(page, /rate-limiting/).innerText();
    assert.match(warning, /2 min/, `the warning says how long to wait: ${warning}`);

    const before = gateway().stats();
    const sid = sessionCookie(whoamiCalls().at(-1));
    assert.ok(sid, 'the last call carried a session cookie');

    await reloadWorkbench(page);
    await waitForNoonStatus(page, signedInAs(valid));
    await screenshot(page, 'accounts-after-reload');
    const restored = gateway().stats();
    assert.strictEqual(restored.logins, before.logins, 'no login while the window reloads');
    assert.strictEqual(restored.requests.length, before.requests.length, 'no request at all while the window reloads');

    await sendRequestFromPalette(page, 'GET', WHOAMI);
    await waitUntil(() => gateway().stats().requests.length > before.requests.length, 'the gateway sees the request');
    const first = gateway().stats().requests[before.requests.length];
    assert.strictEqual(first.path, WHOAMI, 'the first call after the reload is the request itself, not a login');
    assert.strictEqual(sessionCookie(first), sid, 'the first call after the reload carries the old session cookie');
    await responseTab(page, '200 GET').waitFor({ state: 'visible', timeout: 30_000 });
    assert.strictEqual(gateway().stats().logins, before.logins, 'the old session was still good');
  });

  test('Remove Credentials asks first, and the account stays gone after a reload', async () => {
    const { valid, second } = env().accounts;
    await runCommand(page, 'Noon: Remove Credentials');
    await waitForQuickInput(page, 'Remove Credentials');
    await pickItem(page, second.username);
    await clickDialogButton(page, 'Remove');
    // The extension logs the removal once SecretStorage has it; a reload before that would test nothing.
    await waitUntil(() => noonLogText().includes(`Removed account ${second.keyId}`), 'the removal is stored');

    await reloadWorkbench(page);
    await waitForNoonStatus(page, signedInAs(valid));
    await runCommand(page, 'Noon: Switch Account');
    await waitForQuickInput(page, 'Switch Account');
    const rows = await quickPickRows(page);
    await page.keyboard.press('Escape');
    assert.ok(rows.some((row) => row.includes(valid.username)), `the other account is still there: ${rows}`);
    assert.ok(!rows.some((row) => row.includes(second.username)), `the removed account is gone: ${rows}`);
  });

  test('no private key line, session cookie or login token is stored anywhere', async () => {
    const { run } = e2eSession();
    const stats = gateway().stats();
    const keyNeedles: Needle[] = [
      ...privateKeyNeedles('valid.json', privateKeyOf(path.join(env().keysDir, 'valid.json'))),
      ...privateKeyNeedles('second.json', privateKeyOf(path.join(env().keysDir, 'second.json'))),
      ...privateKeyNeedles('pasted key', pasted.privateKeyPem),
      ...privateKeyNeedles('deleted workspace key', inWorkspaceDeleted.privateKeyPem),
      ...privateKeyNeedles('kept workspace key', inWorkspaceKept.privateKeyPem),
    ];
    const sessionNeedles = gatewayNeedles(stats.requests);
    const sessionIds = cookieValuesSent(stats.requests, '_npsid');
    // Each login opened a session that a later call used, so every cookie the gateway handed out is looked for.
    assert.ok(
      stats.logins >= 4 && sessionIds.size >= stats.logins,
      `${sessionIds.size} session ids for ${stats.logins} logins`,
    );
    const needles = [...keyNeedles, ...sessionNeedles];

    const dump = await dumpBrowserStorage(page);
    assert.ok('secrets.provider' in dump.localStorage, 'the dump holds the sealed SecretStorage');
    assert.ok(
      Object.values(dump.indexedDb).some((text) => text.includes('noon.activeAccount')),
      'the dump holds the extension workspace state',
    );
    const pageScan = scanDump(dump, needles);
    // Closing the browser writes its storage out to the profile on disk.
    await closeWorkbench(page);

    const logs = noonLogFiles();
    const logText = noonLogText();
    assert.ok(logText.trim().length > 0, 'the extension log has content');
    assert.ok(logText.includes(MASK), 'the extension log shows masked values, so it is the log that saw the cookies');

    const areas: Array<[string, string[]]> = [
      ['user data (settings, globalStorage, workspaceStorage, logs, History)', listFiles(run.userData)],
      ['extensions', listFiles(run.extensions)],
      ['server data', listFiles(run.serverData)],
      ['workspace', listFiles(run.workspace)],
      ['browser profile', listFiles(profileDir(PROFILE))],
      ['temp (sockets, shared browser profile)', listFiles(run.tmp)],
    ];
    const covered = new Set(areas.flatMap(([, files]) => files));
    // Everything else in the run folder, except the key files given to the test (they hold the keys by design).
    const rest = listFiles(run.root, [env().keysDir]).filter((f) => !covered.has(f));
    areas.push(['rest of the run folder (server log, CA)', rest]);

    const lines = [`Secret scan of the accounts scenario, ${new Date().toISOString()}`, ''];
    lines.push(
      `needles: ${keyNeedles.length} private key pieces (5 keys), ` +
        `${sessionNeedles.length} cookie values and login tokens`,
    );
    lines.push(`sessions: ${stats.logins} logins, ${sessionIds.size} distinct session ids seen`, '');
    const findings: Finding[] = [...pageScan.findings];
    lines.push(`page storage: ${pageScan.files} stores, ${pageScan.bytes} bytes, ${pageScan.findings.length} findings`);
    const [localKeys, idbStores] = [Object.keys(dump.localStorage).length, Object.keys(dump.indexedDb).length];
    lines.push(`  ${localKeys} localStorage keys, ${idbStores} IndexedDB object stores`);
    for (const [name, files] of areas) {
      const result = scanFiles(files, needles, run.root);
      findings.push(...result.findings);
      lines.push(`${name}: ${result.files} files, ${result.bytes} bytes, ${result.findings.length} findings`);
    }
    // Plain text that code-server keeps in the profile: the scan can see what the browser stored on disk.
    const stateKey: Needle = { label: 'state key', value: 'noon.activeAccount' };
    const marker = scanFiles(listFiles(profileDir(PROFILE)), [stateKey], run.root);
    lines.push(`browser profile files showing the workspace state key in plain text: ${marker.findings.length}`);
    // The same needles do find the keys in the key files the test was given (left out of the scan above).
    const control = scanFiles([path.join(env().keysDir, 'valid.json')], keyNeedles, run.root);
    lines.push(`control: valid.json itself shows ${control.findings.length} of the needles`);
    lines.push(`extension log: ${logs.length} files, ${logText.length} characters, masked values shown`);
    lines.push('', findings.length ? 'FOUND:' : 'Nothing found.');
    for (const f of findings) lines.push(`  ${f.label} in ${f.where} (${f.encoding})`);
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(path.join(resultsDir, 'secret-scan.txt'), `${lines.join('\n')}\n`);

    assert.ok(marker.findings.length > 0, 'the scan reads the plain text code-server keeps in the browser profile');
    assert.ok(control.findings.length > 20, 'the needles match the key lines as key files hold them');
    assert.deepStrictEqual(
      findings.map((f) => `${f.label} in ${f.where}`),
      [],
      'secrets were found (see test-results/secret-scan.txt)',
    );
  });
});
