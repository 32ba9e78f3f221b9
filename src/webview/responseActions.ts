import * as os from 'node:os';
import * as vscode from 'vscode';
import { classifyBody, decodeText, extensionFor, formatBytes, parseContentType, prettyJson } from '../core/body';
import { toCurl } from '../core/curl';
import type { ResponseMeta } from '../core/protocol';
import type { ApiResponse, CoreLog } from '../core/types';

/** What the panel's buttons act on: metadata always, body bytes when the panel still has them. */
export interface ActionTarget {
  meta: ResponseMeta;
  body?: Uint8Array;
  /** The request as sent, body unmasked, for "send again"; in memory only, so absent after a reload. */
  sent?: ApiResponse['request'];
}

export interface ActionDeps {
  log: CoreLog;
  cookieHeaderFor(url: string): Promise<string | undefined>;
}

function contentType(meta: ResponseMeta): string | undefined {
  return meta.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
}

function requireBody(target: ActionTarget): Uint8Array {
  if (!target.body) throw new Error(vscode.l10n.t('The body is no longer available. Send the request again.'));
  return target.body;
}

function bodyText(target: ActionTarget): string {
  const body = requireBody(target);
  return decodeText(body, classifyBody(target.meta.headers, body).charset);
}

/**
 * Copies `text` (from the page) or, without it, the whole body decoded with its charset.
 * Resolves with what was put on the clipboard.
 */
export async function copyBody(target: ActionTarget, text: string | undefined): Promise<string> {
  const copied = text ?? bodyText(target);
  await vscode.env.clipboard.writeText(copied);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the response body'), 3000);
  return copied;
}

/**
 * Copies a curl command; the real session cookie only after the user confirms in a modal.
 * Resolves with the copied command, or undefined when the user backed out.
 */
export async function copyCurl(
  deps: ActionDeps,
  target: ActionTarget,
  includeCookie: boolean,
): Promise<string | undefined> {
  const { request } = target.meta;
  let cookieHeader: string | undefined;
  if (includeCookie) {
    const confirm = vscode.l10n.t('Copy with Cookie');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('The copied command will contain your session cookie.'),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Anyone who gets this command can act as you until the session ends. ' +
            'Do not paste it into chats, tickets or shared files.',
        ),
      },
      confirm,
    );
    if (answer !== confirm) return undefined;
    cookieHeader = await deps.cookieHeaderFor(request.url);
    if (!cookieHeader) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('There is no session cookie for this address; the command was copied without one.'),
      );
    }
  }
  const command = toCurl(request, { cookieHeader });
  await vscode.env.clipboard.writeText(command);
  deps.log.info(`Response viewer: copied a curl command (${cookieHeader ? 'with' : 'without'} the session cookie)`);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied as cURL'), 3000);
  return command;
}

/**
 * Saves the body byte for byte to `destination`, or, without one, where the user picks in a save
 * dialog that offers a file name with an extension from the content type. Resolves with the file
 * written, or undefined when the user closed the dialog.
 */
export async function saveBody(
  deps: ActionDeps,
  target: ActionTarget,
  destination?: vscode.Uri,
): Promise<vscode.Uri | undefined> {
  const body = requireBody(target);
  const uri = destination ?? (await askWhereToSave(target.meta));
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, body);
  deps.log.info(`Response viewer: saved the body (${formatBytes(body.byteLength)})`);
  vscode.window.setStatusBarMessage(
    vscode.l10n.t('Saved the response body ({0}) to {1}', formatBytes(body.byteLength), uri.path.split('/').pop() ?? ''),
    5000,
  );
  return uri;
}

function askWhereToSave(meta: ResponseMeta): Thenable<vscode.Uri | undefined> {
  const ext = extensionFor(contentType(meta));
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  return vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, `response-${meta.status}.${ext}`),
    filters: { [ext.toUpperCase()]: [ext], [vscode.l10n.t('All files')]: ['*'] },
    title: vscode.l10n.t('Save Response Body'),
  });
}

function languageFor(mime: string): string {
  if (mime.includes('html')) return 'html';
  if (mime.includes('xml')) return 'xml';
  return 'plaintext';
}

/** Opens the body in an untitled editor; JSON is pretty-printed without touching any digit. */
export async function openInEditor(target: ActionTarget): Promise<vscode.TextDocument> {
  const body = requireBody(target);
  const kind = classifyBody(target.meta.headers, body);
  let content = bodyText(target);
  let language = languageFor(parseContentType(contentType(target.meta)).mime);
  if (kind.kind === 'json') {
    try {
      content = prettyJson(content);
      language = 'json';
    } catch {
      // Not valid JSON after all: show it exactly as received.
      language = 'plaintext';
    }
  }
  const document = await vscode.workspace.openTextDocument({ language, content });
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}
