import * as vscode from 'vscode';
import { describeStatus, type SessionState } from '../core/status';
import { commands } from '../common/ids';

/** The one status bar item: a view over the session state. */
export class NoonStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('noon.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Noon';
  }

  update(state: SessionState, ephemeral?: string): void {
    const view = describeStatus(state, ephemeral);
    this.item.text = view.text;
    // Tooltip lines come partly from the server and the key file: every ASCII punctuation mark is escaped, so
    // no markdown, icon or autolink (an e-mail address or URL would otherwise become a live link) survives.
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    tooltip.appendMarkdown(view.tooltip.map(literalMarkdown).join('\n\n'));
    this.item.tooltip = tooltip;
    this.item.command = state.kind === 'noAccount' ? commands.importCredentials : commands.statusMenu;
    this.item.backgroundColor =
      view.attention === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : view.attention === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.accessibilityInformation = { label: view.tooltip.join('. ') };
    this.item.show();
  }

  /** What is shown right now, for the extension's test surface (no secrets in it). */
  snapshot(): { text: string; tooltip: string } {
    const t = this.item.tooltip;
    return { text: this.item.text, tooltip: typeof t === 'string' ? t : t?.value ?? '' };
  }

  dispose(): void {
    this.item.dispose();
  }
}

/**
 * Markdown that renders as exactly `text`. Backslash-escaping every ASCII punctuation character is
 * valid CommonMark and also breaks the bare `www.`, `https://` and e-mail autolinks, which a plain
 * `appendText` leaves live.
 */
function literalMarkdown(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, '\\$&');
}
