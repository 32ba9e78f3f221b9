import type { ViewMode } from '../core/protocol';
import { button, el } from './dom';

export interface ToolbarActions {
  copy(): void;
  copyCurl(includeCookie: boolean): void;
  save(): void;
  openInEditor(): void;
  resend(): void;
}

/** The action buttons above the tabs; body actions are disabled when there is no body to act on. */
export function toolbar(actions: ToolbarActions, mode: ViewMode): HTMLElement {
  const bar = el('div', 'toolbar');
  const hasText = mode === 'json' || mode === 'text';
  const hasBody = hasText || mode === 'binary';
  const items: Array<[string, () => void, boolean, string]> = [
    ['Copy', actions.copy, hasText, 'Copy the body exactly as received'],
    ['Copy as cURL', () => actions.copyCurl(false), true, 'Copy a curl command; the session cookie is masked'],
    ['Copy as cURL (with cookie)', () => actions.copyCurl(true), true, 'Copy a curl command that carries your session'],
    ['Save…', actions.save, hasBody, 'Save the body to a file, byte for byte'],
    ['Open in editor', actions.openInEditor, hasText, 'Open the body in an editor tab'],
    ['Send again', actions.resend, true, 'Send the same request again'],
  ];
  for (const [label, run, enabled, title] of items) {
    const b = button(label, run, title);
    b.disabled = !enabled;
    b.dataset.action = label;
    bar.append(b);
  }
  return bar;
}
