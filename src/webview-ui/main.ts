import {
  decodeBase64,
  encodeBase64,
  isHostToViewMessage,
  isPersistedState,
  RESTORE_CAP_BYTES,
  type PersistedState,
  type ResponseMeta,
  type TabId,
} from '../core/protocol';
import { BodyView } from './bodyView';
import { requestView, responseHeadersView } from './detailViews';
import { el } from './dom';
import { COPY_TEXT_MAX_CHARS } from './limits';
import { ResponseAssembler } from './responseAssembler';
import { statusLine } from './statusLine';
import { Tabs } from './tabs';
import { toolbar } from './toolbar';
import { connectHost } from './vscodeApi';

const link = connectHost();
const app = document.getElementById('app') ?? document.body.appendChild(el('main'));
const header = el('header', 'response-header');

let current: { seq: number; meta: ResponseMeta; body?: string } | undefined;
let saveTimer = 0;
let missingTimer = 0;
/** How long to wait for the extension to resend a body that the persisted state could not hold. */
const RESEND_WAIT_MS = 1000;

const tabs = new Tabs(() => persist());
const bodyView = new BodyView({
  save: () => link.post({ type: 'save' }),
  resend: () => link.post({ type: 'resend' }),
  rendered: (report) => {
    if (!current) return;
    link.post({ type: 'rendered', seq: current.seq, status: current.meta.status, ...report, headerRows: headerRows() });
  },
  scrolled: () => {
    clearTimeout(saveTimer);
    saveTimer = window.setTimeout(persist, 300);
  },
});
tabs.panel('body').append(bodyView.element);
app.append(header, tabs.element);

/** The Headers tab as drawn, for the rendered report. */
function headerRows(): string[] {
  const rows = [...tabs.panel('headers').querySelectorAll('tr')].slice(0, 20);
  return rows.map((tr) => `${tr.cells[0]?.textContent ?? ''}: ${tr.cells[1]?.textContent ?? ''}`);
}

function persist(): void {
  if (!current) return;
  const { seq, meta } = current;
  const state: PersistedState = { v: 1, seq, meta, tab: tabs.current, topRow: bodyView.topRow };
  if (current.body !== undefined) state.body = current.body;
  link.saveState(state);
}

function copyBody(): void {
  const text = bodyView.text;
  link.post(text.length <= COPY_TEXT_MAX_CHARS ? { type: 'copy', text } : { type: 'copy' });
}

function showMeta(meta: ResponseMeta, tab: TabId): void {
  const actions = {
    copy: copyBody,
    copyCurl: (includeCookie: boolean) => link.post({ type: 'copyCurl', includeCookie }),
    save: () => link.post({ type: 'save' }),
    openInEditor: () => link.post({ type: 'openInEditor' }),
    resend: () => link.post({ type: 'resend' }),
  };
  header.replaceChildren(statusLine(meta), toolbar(actions, bodyView.mode));
  tabs.panel('headers').replaceChildren(...responseHeadersView(meta));
  tabs.panel('request').replaceChildren(...requestView(meta));
  tabs.select(tab, false);
}

async function display(seq: number, meta: ResponseMeta, body: Uint8Array | undefined, tab: TabId, topRow: number) {
  // Bodies over the cap are not persisted; after a reload the page says so instead.
  const keep = body !== undefined && body.byteLength <= RESTORE_CAP_BYTES;
  current = { seq, meta, ...(keep ? { body: encodeBase64(body) } : {}) };
  showMeta(meta, tab);
  clearTimeout(missingTimer);
  if (body) {
    await bodyView.show(meta, body, topRow);
  } else {
    // After hide/show the extension still has the body and sends it right after `ready`;
    // only after a window reload is it really gone.
    bodyView.showPending();
    missingTimer = window.setTimeout(() => bodyView.showMissing(meta.bodyBytes), RESEND_WAIT_MS);
  }
  // The toolbar depends on what the body turned out to be (binary, invalid JSON...).
  showMeta(meta, tabs.current);
  persist();
}

const saved = link.loadState();
if (isPersistedState(saved)) {
  const empty = saved.meta.bodyBytes === 0 ? new Uint8Array() : undefined;
  const body = saved.body !== undefined ? decodeBase64(saved.body) : empty;
  void display(saved.seq, saved.meta, body, saved.tab ?? 'body', saved.topRow ?? 0);
}

const assembler = new ResponseAssembler();
window.addEventListener('message', (event: MessageEvent) => {
  const message: unknown = event.data;
  if (!isHostToViewMessage(message)) return;
  if (message.type === 'responseStart') clearTimeout(missingTimer);
  const done = assembler.accept(message);
  if (!done) return;
  // The same response again means the page was reloaded (hidden and shown): keep tab and scroll.
  const same = isPersistedState(saved) && saved.seq === done.seq;
  void display(done.seq, done.meta, done.body, same ? (saved.tab ?? 'body') : 'body', same ? (saved.topRow ?? 0) : 0);
});

window.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
    e.preventDefault();
    tabs.select('body');
    bodyView.focusFind();
  }
});

link.post({ type: 'ready' });
