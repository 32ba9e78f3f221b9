import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import {
  decodeBase64,
  isPersistedState,
  isViewToHostMessage,
  responseMessages,
  toResponseMeta,
  type RenderedReport,
  type ResponseMeta,
  type ViewToHostMessage,
} from '../core/protocol';
import type { ApiResponse, CoreLog } from '../core/types';
import { RESPONSE_VIEW_TYPE, responseCommands } from '../common/ids';
import { buildHtml } from './html';
import { copyBody, copyCurl, openInEditor, saveBody, type ActionTarget } from './responseActions';


type PanelAction =
  | { type: 'copy'; text?: string }
  | { type: 'copyCurl'; includeCookie: boolean }
  | { type: 'save'; destination?: vscode.Uri }
  | { type: 'openInEditor' }
  | { type: 'resend' };

export interface ResponsePanelDeps {
  extensionUri: vscode.Uri;
  log: CoreLog;
  /** Send a request again (the extension wires this to its send command). */
  resend(request: ApiResponse['request']): Promise<void>;
  /** The real Cookie header for a URL, only when the user explicitly asks to include it in a cURL copy. */
  cookieHeaderFor(url: string): Promise<string | undefined>;
  /** Setting noon.response.openInNewPanel */
  openInNewPanel(): boolean;
}

/** Only the folders the page loads from. */
function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    enableFindWidget: false,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

function titleFor(meta: ResponseMeta): string {
  let path = meta.request.url;
  try {
    path = new URL(meta.request.url).pathname;
  } catch {
    // Not a full URL: show it as it is.
  }
  return `${meta.status} ${meta.request.method} ${path}`;
}

/**
 * The response viewer panel. One panel is reused unless the user asked for a new one per
 * response. The page keeps its own state; the panel keeps the body so it can resend it to a
 * page that was hidden and shown again, and serve copy, save and open.
 */
export class ResponsePanel implements vscode.Disposable {
  /** The panel new responses and commands go to: the active one, else the one shown or active last. */
  private static current: ResponsePanel | undefined;
  private static readonly open = new Set<ResponsePanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly waiters: Array<{ complete: boolean; resolve: (r: RenderedReport) => void }> = [];
  private target: ActionTarget | undefined;
  private seq: number;
  private ready = false;
  private lastReport: RenderedReport | undefined;
  private disposed = false;

  /** Shows a response, in the current panel unless `openInNewPanel()` says otherwise. */
  static show(deps: ResponsePanelDeps, response: ApiResponse): ResponsePanel {
    const existing = ResponsePanel.current;
    if (existing && !existing.disposed && !deps.openInNewPanel()) {
      existing.update(response);
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const meta = toResponseMeta(response);
    const panel = vscode.window.createWebviewPanel(
      RESPONSE_VIEW_TYPE,
      titleFor(meta),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(deps.extensionUri),
    );
    const instance = new ResponsePanel(deps, panel, 0);
    instance.update(response);
    return instance;
  }

  /**
   * Registers the viewer with VS Code: the serializer that restores panels after a window reload
   * (activation event `onWebviewPanel:noon.response`) and the action commands.
   */
  static register(deps: ResponsePanelDeps): vscode.Disposable {
    const action = (id: string, toAction: (...args: unknown[]) => PanelAction) =>
      vscode.commands.registerCommand(id, (...args: unknown[]) =>
        ResponsePanel.runCommand(deps, id, toAction(...args), args),
      );
    return vscode.Disposable.from(
      vscode.window.registerWebviewPanelSerializer(RESPONSE_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => {
          ResponsePanel.revive(deps, panel, state);
        },
      }),
      action(responseCommands.copyBody, () => ({ type: 'copy' })),
      action(responseCommands.copyCurl, (withCookie) => ({ type: 'copyCurl', includeCookie: withCookie === true })),
      action(responseCommands.saveBody, (destination) => ({
        type: 'save',
        ...(destination instanceof vscode.Uri ? { destination } : {}),
      })),
      action(responseCommands.openInEditor, () => ({ type: 'openInEditor' })),
    );
  }

  /**
   * Runs a command on the current panel. Failures are logged and shown; a caller that passed
   * arguments (a keybinding, another extension) also gets the error, as with the other commands.
   */
  private static async runCommand(deps: ResponsePanelDeps, id: string, action: PanelAction, args: unknown[]) {
    try {
      const panel = ResponsePanel.current;
      if (!panel || panel.disposed) throw new Error(vscode.l10n.t('Open a response first: send a request.'));
      const result = await panel.run(action);
      // Commands hand back plain values: a file's URI rather than the document object.
      return result && typeof result === 'object' && 'uri' in result ? result.uri : result;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      deps.log.error(`${id} failed: ${message}`);
      void vscode.window.showErrorMessage(message);
      if (args.length > 0) throw e;
      return undefined;
    }
  }

  /** Takes over a panel VS Code restored, with the state its page saved. */
  static revive(deps: ResponsePanelDeps, panel: vscode.WebviewPanel, state: unknown): ResponsePanel {
    panel.webview.options = webviewOptions(deps.extensionUri);
    if (!isPersistedState(state)) {
      deps.log.warn('Response viewer: restored a panel without usable state');
      return new ResponsePanel(deps, panel, 0);
    }
    const instance = new ResponsePanel(deps, panel, state.seq);
    instance.target = { meta: state.meta, ...(state.body !== undefined ? { body: decodeBase64(state.body) } : {}) };
    return instance;
  }

  private constructor(
    private readonly deps: ResponsePanelDeps,
    readonly panel: vscode.WebviewPanel,
    seq: number,
  ) {
    this.seq = seq;
    ResponsePanel.current = this;
    ResponsePanel.open.add(this);
    const webview = panel.webview;
    const media = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, ...p)).toString();
    webview.html = buildHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64url'),
      scriptUri: media('dist', 'webview', 'main.js'),
      styleUri: media('media', 'viewer.css'),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        // A hidden page is torn down; it says `ready` again when shown, and gets the body again.
        if (!panel.visible) this.ready = false;
        if (panel.active) ResponsePanel.current = this;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** For tests: resolves with what the page reports it rendered for the current response. */
  whenRendered(options: { complete?: boolean } = {}): Promise<RenderedReport> {
    const complete = options.complete ?? false;
    const last = this.lastReport;
    if (last && last.seq === this.seq && (!complete || last.complete)) return Promise.resolve(last);
    return new Promise((resolve) => this.waiters.push({ complete, resolve }));
  }

  /** Replaces the shown response. */
  update(response: ApiResponse): void {
    this.seq++;
    this.target = { meta: toResponseMeta(response), body: response.body, sent: response.request };
    this.panel.title = titleFor(this.target.meta);
    if (this.ready) void this.send();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    ResponsePanel.open.delete(this);
    // Another open panel takes over, so commands and the next response still have a home.
    if (ResponsePanel.current === this) ResponsePanel.current = [...ResponsePanel.open].pop();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private async send(): Promise<void> {
    const target = this.target;
    if (!target?.body) return;
    const seq = this.seq;
    const { meta, body } = target;
    const response: ApiResponse = {
      request: meta.request,
      status: meta.status,
      statusText: meta.statusText,
      headers: meta.headers,
      body,
      receivedBytes: meta.receivedBytes,
      timings: meta.timings,
    };
    for (const message of responseMessages(seq, response)) {
      // A newer response or a hidden page makes the rest of this one pointless.
      if (seq !== this.seq || !this.ready || this.disposed) return;
      await this.panel.webview.postMessage(message);
    }
  }

  private onMessage(raw: unknown): void {
    if (!isViewToHostMessage(raw)) {
      this.deps.log.warn('Response viewer: ignored an unexpected message from the page');
      return;
    }
    void this.handle(raw).catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      this.deps.log.error(`Response viewer: ${raw.type} failed: ${message}`);
      void vscode.window.showErrorMessage(message);
    });
  }

  private async handle(message: ViewToHostMessage): Promise<void> {
    if (message.type === 'ready') {
      this.ready = true;
      await this.send();
      return;
    }
    if (message.type === 'rendered') {
      const { type: _type, ...report } = message;
      this.lastReport = report;
      this.deps.log.trace(`Response viewer: rendered #${report.seq} as ${report.mode} (${report.lineCount} rows)`);
      if (report.seq !== this.seq) return;
      for (const waiter of this.waiters.splice(0)) {
        if (!waiter.complete || report.complete) waiter.resolve(report);
        else this.waiters.push(waiter);
      }
      return;
    }
    await this.run(message);
  }

  /** One of the page's actions, from its buttons or from a command. */
  private async run(action: PanelAction): Promise<string | vscode.Uri | vscode.TextDocument | undefined> {
    const target = this.target;
    if (!target) throw new Error(vscode.l10n.t('This panel has no response yet.'));
    switch (action.type) {
      case 'copy':
        return copyBody(target, action.text);
      case 'copyCurl':
        return copyCurl(this.deps, target, action.includeCookie);
      case 'save':
        return saveBody(this.deps, target, action.destination);
      case 'openInEditor':
        return openInEditor(target);
      case 'resend':
        // After a reload only the masked copy is left; masked values are then sent as they read.
        await this.deps.resend(target.sent ?? target.meta.request);
        return undefined;
    }
  }
}
