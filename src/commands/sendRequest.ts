import * as vscode from 'vscode';
import { parse as parseLossless } from 'lossless-json';
import { redactHeaders, redactUrl } from '../core/redact';
import { parseRetryAfter } from '../core/retryAfter';
import type { ApiRequest, ApiResponse, HttpMethod } from '../core/types';
import type { Sessions } from '../auth/sessions';
import type { Logger } from '../common/logger';
import { commands } from '../common/ids';
import { Cancelled } from '../common/userErrors';

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const LAST_REQUEST_STATE = 'noon.lastRequest';

/** Arguments for calling the command without dialogs (keybindings, tasks, other extensions). */
export interface SendRequestArgs {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Raw JSON text, or a value that is serialised with JSON.stringify. */
  body?: unknown;
}

/** What the command resolves with: the answer, decoded as UTF-8 text, without secrets. */
export interface SendRequestResult {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: string;
  totalMs: number;
}

export interface SendDeps {
  sessions: Sessions;
  log: Logger;
  workspaceState: vscode.Memento;
  /** The configured gateway, to check full URLs while the user types them. */
  gatewayUrl(): string;
  show(response: ApiResponse): void;
}

/** Nothing to send with yet: say so before any prompt, with the way out. */
async function offerImport(): Promise<never> {
  const importKey = vscode.l10n.t('Import Credentials');
  const paste = vscode.l10n.t('Paste Credentials');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('No Noon key is stored yet. Import the .json key file from the partner portal first.'),
    importKey,
    paste,
  );
  if (choice === importKey) await vscode.commands.executeCommand(commands.importCredentials);
  else if (choice === paste) await vscode.commands.executeCommand(commands.pasteCredentials);
  throw new Cancelled();
}

export async function sendRequest(deps: SendDeps, args?: SendRequestArgs): Promise<SendRequestResult> {
  if (!args && !deps.sessions.activeAccount) await offerImport();
  const request = args ? fromArgs(args) : await askForRequest(deps.workspaceState, deps.gatewayUrl());
  await deps.workspaceState.update(LAST_REQUEST_STATE, { method: request.method, path: redactUrl(request.path) });

  const response = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Noon: {0} {1}', request.method, request.path),
      cancellable: true,
    },
    async (_progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await deps.sessions.send(request, abort.signal);
      } finally {
        sub.dispose();
      }
    },
  );
  deps.log.info(`${request.method} ${request.path} -> ${response.status} in ${response.timings.totalMs} ms`);
  deps.show(response);
  if (response.status === 429) void warnRateLimited(response);
  return {
    status: response.status,
    statusText: response.statusText,
    // Callers get the answer, not the session: a refreshed Set-Cookie is masked like everywhere else.
    headers: redactHeaders(response.headers),
    body: new TextDecoder().decode(response.body),
    totalMs: response.timings.totalMs,
  };
}

function warnRateLimited(response: ApiResponse): Thenable<unknown> {
  const header = response.headers.find(([name]) => name === 'retry-after')?.[1];
  const seconds = parseRetryAfter(header, Date.now());
  return vscode.window.showWarningMessage(
    seconds === undefined
      ? vscode.l10n.t('The Noon gateway is rate-limiting requests (429) and did not say for how long. Wait a moment before sending again.')
      : vscode.l10n.t('The Noon gateway is rate-limiting requests (429) and asks to wait {0} before sending again.', formatWait(seconds)),
  );
}

function formatWait(seconds: number): string {
  if (seconds < 90) return vscode.l10n.t('{0} s', seconds);
  if (seconds < 5400) return vscode.l10n.t('{0} min', Math.round(seconds / 60));
  return vscode.l10n.t('{0} h', Math.round(seconds / 3600));
}

function fromArgs(args: SendRequestArgs): ApiRequest {
  if (!args || typeof args.path !== 'string' || !args.path.trim()) {
    throw new Error('Send Request needs a "path" argument.');
  }
  const method = (args.method ?? 'GET').toUpperCase() as HttpMethod;
  if (!METHODS.includes(method) && method !== 'HEAD' && method !== 'OPTIONS') {
    throw new Error(`Send Request does not support the method "${String(args.method).slice(0, 20)}".`);
  }
  const body = args.body === undefined ? undefined : typeof args.body === 'string' ? args.body : JSON.stringify(args.body);
  return { method, path: args.path.trim(), headers: args.headers, body };
}

async function askForRequest(state: vscode.Memento, gatewayUrl: string): Promise<ApiRequest> {
  const last = state.get<{ method: HttpMethod; path: string }>(LAST_REQUEST_STATE);
  const picked = await vscode.window.showQuickPick(
    METHODS.map((m) => ({ label: m, picked: m === last?.method })),
    { title: vscode.l10n.t('Noon: Send Request: method'), placeHolder: vscode.l10n.t('HTTP method'), ignoreFocusOut: true },
  );
  if (!picked) throw new Cancelled();
  const method = picked.label as HttpMethod;
  const hasBody = method !== 'GET' && method !== 'DELETE';
  const steps = hasBody ? 4 : 3;
  const title = (step: number, what: string) =>
    vscode.l10n.t('Noon: Send Request ({0}/{1}): {2}', step, steps, what);

  const path = await vscode.window.showInputBox({
    title: title(2, vscode.l10n.t('path')),
    prompt: vscode.l10n.t('Path on the gateway, such as /identity/v1/whoami (a full URL on the same gateway works too).'),
    value: last?.path ?? '/identity/v1/whoami',
    ignoreFocusOut: true,
    validateInput: (v) => pathError(v, gatewayUrl),
  });
  if (path === undefined) throw new Cancelled();

  const headerText = await vscode.window.showInputBox({
    title: title(3, vscode.l10n.t('headers')),
    prompt: vscode.l10n.t('Extra headers, separated by ";", such as "X-Project: PRJ123; Accept: application/json". Leave empty for none.'),
    ignoreFocusOut: true,
    validateInput: (v) => parseHeaders(v).error,
  });
  if (headerText === undefined) throw new Cancelled();
  const headers = parseHeaders(headerText).headers;

  let body: string | undefined;
  if (hasBody) {
    const text = await vscode.window.showInputBox({
      title: title(4, vscode.l10n.t('JSON body')),
      prompt: vscode.l10n.t('Request body as JSON. Leave empty to send {}.'),
      ignoreFocusOut: true,
      validateInput: (v) => jsonError(v),
    });
    if (text === undefined) throw new Cancelled();
    body = text.trim() || '{}';
  }
  return { method, path: path.trim(), headers, body };
}

/** `Name: value; Name2: value` into a header map. */
export function parseHeaders(text: string): { headers: Record<string, string>; error?: string } {
  const headers: Record<string, string> = {};
  for (const part of text.split(';')) {
    const entry = part.trim();
    if (!entry) continue;
    const colon = entry.indexOf(':');
    const name = colon > 0 ? entry.slice(0, colon).trim() : '';
    if (!name || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      return { headers, error: vscode.l10n.t('"{0}" is not "Name: value".', entry.slice(0, 40)) };
    }
    headers[name] = entry.slice(colon + 1).trim();
  }
  return { headers };
}

/** A path, or a full URL on the configured gateway. */
function pathError(text: string, gatewayUrl: string): string | undefined {
  const value = text.trim();
  if (!value) return vscode.l10n.t('Enter a path.');
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value)) return undefined;
  try {
    const origin = new URL(value).origin;
    if (gatewayUrl && origin !== new URL(gatewayUrl).origin) {
      return vscode.l10n.t('{0} is not the configured gateway ({1}); use a path, or change noon.gateway.', origin, gatewayUrl);
    }
    return undefined;
  } catch {
    return vscode.l10n.t('Not a valid URL.');
  }
}

function jsonError(text: string): string | undefined {
  if (!text.trim()) return undefined;
  try {
    parseLossless(text);
    return undefined;
  } catch (e) {
    return vscode.l10n.t('Not valid JSON: {0}', e instanceof Error ? e.message : String(e));
  }
}
