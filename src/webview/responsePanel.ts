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
import { buildHtml } from './html';
import { copyBody, copyCurl, openInEditor, saveBody, type ActionTarget } from './responseActions';

export const RESPONSE_VIEW_TYPE = 'noon.response';

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
  private static current: ResponsePanel | undefined;
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

  /** Restores panels after a window reload (activation event `onWebviewPanel:noon.response`). */
  static registerSerializer(deps: ResponsePanelDeps): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(RESPONSE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => {
        ResponsePanel.revive(deps, panel, state);
      },
    });
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
    this.target = { meta: toResponseMeta(response), body: response.body };
    this.panel.title = titleFor(this.target.meta);
    if (this.ready) void this.send();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (ResponsePanel.current === this) ResponsePanel.current = undefined;
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
    const target = this.target;
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
    if (!target) return;
    switch (message.type) {
      case 'copy':
        return copyBody(target, message.text);
      case 'copyCurl':
        return copyCurl(this.deps, target, message.includeCookie);
      case 'save':
        return saveBody(this.deps, target);
      case 'openInEditor':
        return openInEditor(target);
      case 'resend':
        return this.deps.resend(target.meta.request);
    }
  }
}
