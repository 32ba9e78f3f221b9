import * as path from 'path';
import * as vscode from 'vscode';
import { KeyFileError, keyWarnings, MAX_KEY_FILE_BYTES, parseKeyFile } from '../core/keyFile';
import type { AccountInfo } from '../core/status';
import type { AccountStore } from '../auth/accountStore';
import type { Sessions } from '../auth/sessions';
import type { Logger } from '../common/logger';
import { Cancelled } from '../common/userErrors';

export interface ImportDeps {
  store: AccountStore;
  sessions: Sessions;
  log: Logger;
}

/** Picks (or takes) a key file, validates it completely, and only then stores it. */
export async function importCredentials(deps: ImportDeps, target?: vscode.Uri | string): Promise<AccountInfo> {
  const uri = target === undefined ? await pickKeyFile() : typeof target === 'string' ? vscode.Uri.file(target) : target;
  const name = path.basename(uri.path);
  const bytes = await readKeyFile(uri, name);
  const account = await storeKey(deps, bytes, name);
  void offerToDeleteFromWorkspace(uri, name, deps.log);
  return account;
}

/** The same import for a key held in a password manager: the JSON is pasted into a masked box. */
export async function pasteCredentials(deps: ImportDeps, text?: string): Promise<AccountInfo> {
  const pasted =
    text ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Noon: Paste Credentials'),
      prompt: vscode.l10n.t('Paste the whole contents of the key file (.json) from the partner portal.'),
      placeHolder: '{"key_id": "…", "private_key": "-----BEGIN PRIVATE KEY-----\\n…", "project_code": "…"}',
      password: true,
      ignoreFocusOut: true,
    }));
  if (pasted === undefined) throw new Cancelled();
  return storeKey(deps, pasted, vscode.l10n.t('the pasted key'));
}

async function pickKeyFile(): Promise<vscode.Uri> {
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Noon: Import Credentials'),
    openLabel: vscode.l10n.t('Import Key'),
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    filters: { [vscode.l10n.t('Noon key file')]: ['json'], [vscode.l10n.t('All files')]: ['*'] },
  });
  if (!picked?.length) throw new Cancelled();
  return picked[0];
}

async function readKeyFile(uri: vscode.Uri, name: string): Promise<Uint8Array> {
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    throw new KeyImportError(vscode.l10n.t('Cannot import {0}: the file does not exist or cannot be read.', name));
  }
  if (stat.type & vscode.FileType.Directory) {
    throw new KeyImportError(vscode.l10n.t('Cannot import {0}: it is a folder. Pick the .json key file inside it.', name));
  }
  // Devices, pipes and /proc entries report no size, so the cap below would not hold for them.
  if (!(stat.type & vscode.FileType.File)) {
    throw new KeyImportError(vscode.l10n.t('Cannot import {0}: it is not a regular file.', name));
  }
  if (stat.size > MAX_KEY_FILE_BYTES) {
    throw new KeyImportError(
      vscode.l10n.t(
        'Cannot import {0}: it is {1} KB, too large to be a key file (at most {2} KB).',
        name,
        Math.ceil(stat.size / 1024),
        Math.floor(MAX_KEY_FILE_BYTES / 1024),
      ),
    );
  }
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch {
    throw new KeyImportError(vscode.l10n.t('Cannot import {0}: the file cannot be read (check its permissions).', name));
  }
}

async function storeKey(deps: ImportDeps, input: Uint8Array | string, name: string): Promise<AccountInfo> {
  let key;
  try {
    key = await parseKeyFile(input);
  } catch (e) {
    if (e instanceof KeyFileError) {
      throw new KeyImportError(vscode.l10n.t('Cannot import {0}: {1}', name, e.message));
    }
    throw e;
  }
  const { info, added } = await deps.store.save(key);
  if (!added) deps.sessions.keyReplaced(info.keyId);
  await deps.sessions.activate(info.keyId);
  deps.log.info(`${added ? 'Imported' : 'Updated'} key ${info.keyId} for project ${info.projectCode}.`);
  for (const warning of keyWarnings(key)) deps.log.warn(warning);
  void vscode.window.showInformationMessage(
    added
      ? vscode.l10n.t('Noon key imported: {0} (project {1}).', info.label, info.projectCode)
      : vscode.l10n.t('Noon key updated: {0} (project {1}).', info.label, info.projectCode),
  );
  return info;
}

/** A key file left in a workspace folder is one commit away from a leak; offer, never force, deletion. */
async function offerToDeleteFromWorkspace(uri: vscode.Uri, name: string, log: Logger): Promise<void> {
  if (uri.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(uri)) return;
  const del = vscode.l10n.t('Delete File');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      '{0} is inside your workspace and holds a private key. It is imported now; delete the file so it cannot be committed or shared?',
      name,
    ),
    del,
    vscode.l10n.t('Keep'),
  );
  if (choice !== del) return;
  try {
    await vscode.workspace.fs.delete(uri, { useTrash: false });
    log.info(`Deleted the imported key file ${uri.fsPath}.`);
  } catch (e) {
    log.warn(`Could not delete ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Could not delete {0}; please delete it yourself.', name));
  }
}

export class KeyImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyImportError';
  }
}
