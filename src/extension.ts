import * as vscode from 'vscode';
import { AccountStore } from './auth/accountStore';
import { Sessions } from './auth/sessions';
import { removeCredentials, statusMenu, switchAccount, type RemoveArgs } from './commands/accounts';
import { importCredentials, pasteCredentials } from './commands/importCredentials';
import { sendRequest, type SendRequestArgs } from './commands/sendRequest';
import { affectsClient, readConfig } from './common/config';
import { commands } from './common/ids';
import { Logger } from './common/logger';
import { guarded } from './common/userErrors';
import type { RenderedReport } from './core/protocol';
import type { AccountInfo, SessionState } from './core/status';
import type { ApiResponse } from './core/types';
import { NoonStatusBar } from './statusBar/statusBar';
import { ResponsePanel, type ResponsePanelDeps } from './webview/responsePanel';

/** What the extension exposes to other extensions and its tests: read-only and free of secrets. */
export interface NoonApi {
  state(): SessionState;
  accounts(): Promise<AccountInfo[]>;
  statusBar(): { text: string; tooltip: string };
  storageIsEphemeral(): string | undefined;
  /** What the response panel of the last request rendered (status, first rows), once it has. */
  lastResponseView(options?: { complete?: boolean }): Promise<RenderedReport | undefined>;
}

export function activate(context: vscode.ExtensionContext): NoonApi {
  const log = new Logger();
  context.subscriptions.push(log);
  const manifest = context.extension.packageJSON as { name: string; version: string };
  const defaultUserAgent = `${manifest.name}/${manifest.version}`;
  const config = () => readConfig(defaultUserAgent);
  log.info(`${defaultUserAgent} starting; gateway ${config().gatewayUrl || '(custom, not set)'}.`);

  const store = new AccountStore(context.secrets, log);
  context.subscriptions.push(store);
  const sessions = new Sessions(store, context.workspaceState, config, log);
  context.subscriptions.push(sessions);
  const statusBar = new NoonStatusBar();
  context.subscriptions.push(statusBar);
  context.subscriptions.push(sessions.onDidChangeState((s) => statusBar.update(s, store.ephemeral)));
  statusBar.update(sessions.state);

  const panelDeps: ResponsePanelDeps = {
    extensionUri: context.extensionUri,
    log,
    resend: async (request) => {
      await vscode.commands.executeCommand(commands.sendRequest, {
        method: request.method,
        path: request.url,
        headers: resendableHeaders(request.headers),
        body: request.body,
      });
    },
    cookieHeaderFor: (url) => sessions.cookieHeaderFor(url),
    openInNewPanel: () => config().openInNewPanel,
  };
  context.subscriptions.push(ResponsePanel.register(panelDeps));

  let lastPanel: ResponsePanel | undefined;
  const showResponse = (response: ApiResponse) => {
    lastPanel = ResponsePanel.show(panelDeps, response);
  };

  const deps = { store, sessions, log };
  const register = <A extends unknown[], R>(id: string, handler: (...args: A) => Promise<R>) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, guarded(log, id, handler)));

  register(commands.importCredentials, (target?: vscode.Uri | string) => importCredentials(deps, target));
  register(commands.pasteCredentials, (text?: string) => pasteCredentials(deps, text));
  register(commands.signIn, async () => {
    const identity = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Signing in to Noon…') },
      () => sessions.signIn(),
    );
    return { username: identity.username, userCode: identity.userCode };
  });
  register(commands.signOut, () => sessions.signOut());
  register(commands.sendRequest, (args?: SendRequestArgs) =>
    sendRequest(
      { sessions, log, workspaceState: context.workspaceState, gatewayUrl: () => config().gatewayUrl, show: showResponse },
      args,
    ),
  );
  register(commands.switchAccount, (keyId?: string) => switchAccount(deps, keyId));
  register(commands.removeCredentials, (args?: RemoveArgs) => removeCredentials(deps, args));
  register(commands.showLog, async () => log.show());
  register(commands.statusMenu, () => statusMenu(deps));

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsClient(e)) void sessions.configurationChanged();
    }),
  );

  // Reading SecretStorage is local and quick; the network is never touched during activation.
  void sessions.reload().catch((e) => log.error(`Could not load the stored accounts: ${String(e)}`));

  return {
    state: () => sessions.state,
    accounts: () => store.list(),
    statusBar: () => statusBar.snapshot(),
    storageIsEphemeral: () => store.ephemeral,
    lastResponseView: async (options) => lastPanel?.whenRendered(options),
  };
}

export function deactivate(): void {}

/** Headers to repeat on "send again": the masked ones (cookie, user agent) are set by the client itself. */
function resendableHeaders(headers: Array<[string, string]>): Record<string, string> {
  const skip = new Set(['cookie', 'user-agent', 'content-length', 'host', 'accept-encoding', 'connection']);
  const out: Record<string, string> = {};
  for (const [name, value] of headers) if (!skip.has(name.toLowerCase()) && !value.includes('•')) out[name] = value;
  return out;
}
