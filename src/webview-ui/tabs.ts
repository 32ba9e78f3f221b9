import type { TabId } from '../core/protocol';
import { el } from './dom';

const LABELS: Record<TabId, string> = { body: 'Body', headers: 'Headers', request: 'Request' };

/** Body / Headers / Request tabs; panels are kept in the DOM and hidden, so switching is instant. */
export class Tabs {
  readonly element = el('div', 'tabs');
  private readonly bar = el('div', 'tab-bar');
  private readonly buttons = new Map<TabId, HTMLButtonElement>();
  private readonly panels = new Map<TabId, HTMLElement>();
  current: TabId = 'body';

  constructor(private readonly onChange: (tab: TabId) => void) {
    this.bar.setAttribute('role', 'tablist');
    this.element.append(this.bar);
    for (const id of Object.keys(LABELS) as TabId[]) {
      const b = el('button', 'tab', LABELS[id]);
      b.type = 'button';
      b.setAttribute('role', 'tab');
      b.dataset.tab = id;
      b.addEventListener('click', () => this.select(id));
      this.buttons.set(id, b);
      this.bar.append(b);
      const panel = el('div', `tab-panel tab-${id}`);
      panel.setAttribute('role', 'tabpanel');
      this.panels.set(id, panel);
      this.element.append(panel);
    }
    this.select('body', false);
  }

  panel(id: TabId): HTMLElement {
    return this.panels.get(id) as HTMLElement;
  }

  select(id: TabId, notify = true): void {
    this.current = id;
    for (const [tab, b] of this.buttons) {
      b.setAttribute('aria-selected', String(tab === id));
      this.panels.get(tab)!.hidden = tab !== id;
    }
    if (notify) this.onChange(id);
  }
}
