import * as vscode from 'vscode';
import type { AccountStore } from '../auth/accountStore';
import type { Sessions } from '../auth/sessions';
import type { AccountInfo } from '../core/status';
import { commands } from '../common/ids';
import type { Logger } from '../common/logger';
import { Cancelled } from '../common/userErrors';

export interface AccountDeps {
  store: AccountStore;
  sessions: Sessions;
  log: Logger;
}

export async function switchAccount(deps: AccountDeps, keyId?: string): Promise<AccountInfo | undefined> {
  const accounts = await deps.store.list();
  const chosen = keyId ?? (await pickAccount(accounts, deps.sessions.activeAccount, vscode.l10n.t('Noon: Switch Account')));
  if (chosen === undefined) return undefined;
  await deps.sessions.activate(chosen);
  return deps.sessions.activeAccount;
}

export interface RemoveArgs {
  keyId: string;
  /** Callers that already asked the user (or are tests) may skip the confirmation. */
  skipConfirmation?: boolean;
}

export async function removeCredentials(deps: AccountDeps, args?: RemoveArgs): Promise<boolean> {
  const accounts = await deps.store.list();
  const keyId = args?.keyId ?? (await pickAccount(accounts, deps.sessions.activeAccount, vscode.l10n.t('Noon: Remove Credentials')));
  if (keyId === undefined) return false;
  const account = accounts.find((a) => a.keyId === keyId);
  if (!account) throw new Error(vscode.l10n.t('No stored account has the key id {0}.', keyId));
  if (!args?.skipConfirmation) {
    const remove = vscode.l10n.t('Remove');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove the Noon key {0} (project {1}) and its session from VS Code?', account.label, account.projectCode),
      { modal: true, detail: vscode.l10n.t('The key file on disk, if any, is not touched. You can import it again later.') },
      remove,
    );
    if (answer !== remove) throw new Cancelled();
  }
  if (deps.sessions.activeAccount?.keyId === keyId) await deps.sessions.signOut();
  await deps.sessions.accountRemoved(keyId);
  await deps.store.remove(keyId);
  await deps.sessions.reload();
  deps.log.info(`Removed account ${keyId}.`);
  return true;
}

async function pickAccount(accounts: AccountInfo[], active: AccountInfo | undefined, title: string): Promise<string | undefined> {
  if (!accounts.length) {
    const importKey = vscode.l10n.t('Import Credentials');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('No Noon key is stored yet.'), importKey);
    if (choice === importKey) await vscode.commands.executeCommand(commands.importCredentials);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    accounts.map((a) => ({
      label: a.label,
      description: vscode.l10n.t('project {0}', a.projectCode) + (a.keyId === active?.keyId ? ' · ' + vscode.l10n.t('active') : ''),
      detail: vscode.l10n.t('key {0}', a.keyId),
      keyId: a.keyId,
    })),
    { title, placeHolder: vscode.l10n.t('Choose an account'), ignoreFocusOut: true },
  );
  if (!picked) throw new Cancelled();
  return picked.keyId;
}

/** What a click on the status bar offers, depending on the state. */
export async function statusMenu(deps: AccountDeps): Promise<void> {
  const state = deps.sessions.state;
  if (state.kind === 'failed') {
    const retry = vscode.l10n.t('Retry');
    const other = vscode.l10n.t('Import Other Credentials');
    const showLog = vscode.l10n.t('Show Log');
    const text = state.hint ? `${state.message} ${state.hint}` : state.message;
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Noon sign-in failed: {0}', text), retry, other, showLog);
    if (choice === retry) await vscode.commands.executeCommand(commands.signIn);
    else if (choice === other) await vscode.commands.executeCommand(commands.importCredentials);
    else if (choice === showLog) await vscode.commands.executeCommand(commands.showLog);
    return;
  }
  const items: Array<vscode.QuickPickItem & { command: string }> = [];
  if (state.kind === 'signedIn') {
    items.push({ label: '$(send) ' + vscode.l10n.t('Send Request'), command: commands.sendRequest });
  } else if (state.kind === 'signedOut') {
    items.push({ label: '$(sign-in) ' + vscode.l10n.t('Sign In'), command: commands.signIn });
    items.push({ label: '$(send) ' + vscode.l10n.t('Send Request'), command: commands.sendRequest });
  }
  items.push(
    { label: '$(account) ' + vscode.l10n.t('Switch Account'), command: commands.switchAccount },
    { label: '$(key) ' + vscode.l10n.t('Import Other Credentials'), command: commands.importCredentials },
    { label: '$(clippy) ' + vscode.l10n.t('Paste Credentials'), command: commands.pasteCredentials },
  );
  if (state.kind === 'signedIn') items.push({ label: '$(sign-out) ' + vscode.l10n.t('Sign Out'), command: commands.signOut });
  items.push(
    { label: '$(trash) ' + vscode.l10n.t('Remove Credentials'), command: commands.removeCredentials },
    { label: '$(output) ' + vscode.l10n.t('Show Log'), command: commands.showLog },
  );
  const picked = await vscode.window.showQuickPick(items, { title: 'Noon', placeHolder: vscode.l10n.t('Choose an action') });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
