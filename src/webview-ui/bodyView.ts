import { classifyBody, decodeText, formatBytes, type BodyClass } from '../core/body';
import type { RenderedReport, ResponseMeta, ViewMode } from '../core/protocol';
import { button, el } from './dom';
import { Finder } from './find';
import { FindBar } from './findBar';
import { FoldMap } from './foldMap';
import { JsonLines } from './jsonLines';
import { FIRST_SCREEN_MS, FIRST_SCREEN_ROWS, JSON_TREE_MAX_BYTES } from './limits';
import { progressOf, rowText, type LineModel } from './lineModel';
import { fillRow } from './rowRender';
import { afterPaint, nextTask, SLICE_MS } from './scheduler';
import { TextLines } from './textLines';
import { VirtualList } from './virtualList';

export interface BodyViewActions {
  save(): void;
  resend(): void;
  /** Called after the first paint and again once a big body is fully laid out. */
  rendered(report: Omit<RenderedReport, 'seq' | 'status'>): void;
  /** The top row changed (for persisting the scroll position). */
  scrolled(): void;
}

/** The Body tab: a virtual, colourised, foldable view of JSON, or text, or a summary. */
export class BodyView {
  readonly element = el('div', 'body-view');
  private readonly notes = el('div', 'notes');
  private readonly tools = el('div', 'body-tools');
  private readonly content = el('div', 'body-content');
  private readonly findBar: FindBar;
  private list?: VirtualList;
  private model?: LineModel;
  private folds?: FoldMap;
  private finder?: Finder;
  private generation = 0;
  private progressNote?: HTMLElement;
  text = '';
  mode: ViewMode = 'empty';
  kind: BodyClass = { kind: 'empty', charset: 'utf-8', mime: '' };

  constructor(private readonly actions: BodyViewActions) {
    this.findBar = new FindBar(
      () => this.finder,
      (q) => void this.finder?.search(q),
      (d) => this.step(d),
    );
    this.element.append(this.notes, this.tools, this.content);
  }

  /** Model row shown at the top, for restoring the scroll position. */
  get topRow(): number {
    if (!this.list) return 0;
    return this.folds ? this.folds.toRow(this.list.firstRow) : this.list.firstRow;
  }

  focusFind(): void {
    if (this.model) this.findBar.focus();
  }

  /** Shows a body; resolves after the first screen has been painted. */
  async show(meta: ResponseMeta, bytes: Uint8Array, topRow = 0): Promise<void> {
    const generation = ++this.generation;
    this.reset();
    this.kind = classifyBody(meta.headers, bytes);
    const { kind } = this.kind;
    if (kind === 'empty') {
      this.mode = 'empty';
      this.content.append(el('p', 'placeholder', 'No content'));
    } else if (kind === 'binary') {
      this.mode = 'binary';
      this.showBinary(bytes.byteLength);
    } else {
      this.text = decodeText(bytes, this.kind.charset);
      let model: LineModel;
      if (kind === 'json' && bytes.byteLength <= JSON_TREE_MAX_BYTES) {
        model = new JsonLines(this.text);
      } else {
        if (kind === 'json') {
          this.note(
            `Large JSON body (${formatBytes(bytes.byteLength)}): shown as plain text without colours or folding ` +
              `(the limit is ${formatBytes(JSON_TREE_MAX_BYTES)}). Find, copy, save and open work as usual.`,
          );
        }
        model = new TextLines(this.text);
      }
      await this.showModel(model, generation, topRow);
      return;
    }
    await afterPaint();
    if (generation === this.generation) this.report(true);
  }

  /** While waiting for the extension to send the body again. */
  showPending(): void {
    ++this.generation;
    this.reset();
    this.mode = 'restoreMissing';
    this.content.append(el('p', 'placeholder', 'Loading the body…'));
  }

  /** For a reload that could not keep the body: explain and offer to send again. */
  showMissing(bodyBytes: number): void {
    ++this.generation;
    this.reset();
    this.mode = 'restoreMissing';
    const box = el('div', 'placeholder');
    box.append(
      el(
        'p',
        undefined,
        `The body (${formatBytes(bodyBytes)}) was too large to keep across a reload. Send the request again to see it.`,
      ),
      button('Send again', () => this.actions.resend()),
    );
    this.content.append(box);
    this.report(true);
  }

  private reset(): void {
    this.notes.replaceChildren();
    this.tools.replaceChildren();
    this.content.replaceChildren();
    this.list = this.model = this.folds = this.finder = this.progressNote = undefined;
    this.text = '';
  }

  private note(text: string, cls = 'note'): HTMLElement {
    const p = el('p', cls, text);
    this.notes.append(p);
    return p;
  }

  private showBinary(size: number): void {
    const box = el('div', 'binary-summary');
    box.append(
      el('p', undefined, `Binary body: ${this.kind.mime || 'unknown type'}, ${formatBytes(size)}`),
      button('Save…', () => this.actions.save()),
    );
    this.content.append(box);
  }

  private async showModel(model: LineModel, generation: number, topRow: number): Promise<void> {
    const start = performance.now();
    while (!model.build(performance.now() + SLICE_MS)) {
      if (model.count >= FIRST_SCREEN_ROWS + topRow || performance.now() - start > FIRST_SCREEN_MS) break;
    }
    if (model.error) model = this.fallBackToText(model);
    this.attach(model);
    if (topRow > 0 && this.list) this.list.scrollToRow(Math.min(topRow, model.count - 1), true);
    await afterPaint();
    if (generation !== this.generation) return;
    this.report(model.complete);
    if (!model.complete) void this.finishInBackground(model, generation);
  }

  private fallBackToText(model: LineModel): LineModel {
    this.note(`Not valid JSON (${model.error}); shown as received.`, 'note warning');
    return new TextLines(this.text);
  }

  private async finishInBackground(model: LineModel, generation: number): Promise<void> {
    this.progressNote = this.note('', 'note progress');
    while (!model.complete) {
      await nextTask();
      if (generation !== this.generation) return;
      model.build(performance.now() + SLICE_MS);
      if (model.error) {
        const top = this.topRow;
        model = this.fallBackToText(model);
        this.attach(model);
        while (!model.build(performance.now() + SLICE_MS) && model.count <= top) await nextTask();
        continue;
      }
      this.progressNote.textContent = `Laying out the body… ${Math.floor(progressOf(model) * 100)}%`;
      this.list?.setRowCount(this.folds ? this.folds.visibleCount() : model.count);
    }
    this.progressNote.remove();
    this.list?.setRowCount(this.folds ? this.folds.visibleCount() : model.count);
    this.list?.render();
    this.report(true);
  }

  private attach(model: LineModel): void {
    this.model = model;
    this.mode = model instanceof JsonLines ? 'json' : 'text';
    this.folds = model instanceof JsonLines ? new FoldMap(model) : undefined;
    this.finder = new Finder(this.text, () => {
      this.findBar.update();
      this.list?.render();
    });
    this.findBar.update();
    const list = new VirtualList((visible, row) =>
      fillRow(row, model, this.folds, this.folds ? this.folds.toRow(visible) : visible, this.finder),
    );
    list.element.addEventListener('click', (e) => this.onClick(e));
    list.element.addEventListener('scroll', () => this.actions.scrolled());
    this.list = list;
    const tools: HTMLElement[] = [this.findBar.element];
    if (this.folds) {
      const folds = this.folds;
      tools.push(
        button('Collapse all', () => this.refold(() => folds.foldDepth(1))),
        button('Expand all', () => this.refold(() => folds.unfoldAll())),
      );
    }
    this.tools.replaceChildren(...tools);
    this.content.replaceChildren(list.element);
    list.setRowCount(this.folds ? this.folds.visibleCount() : model.count);
    list.render();
  }

  private refold(change: () => void): void {
    if (!this.folds || !this.list) return;
    const top = this.topRow;
    change();
    this.list.setRowCount(this.folds.visibleCount());
    this.list.scrollToRow(this.folds.toVisible(top), true);
  }

  private onClick(e: MouseEvent): void {
    const target = e.target instanceof Element ? e.target.closest('.fold') : null;
    const row = target?.parentElement?.dataset.row;
    if (!target || row === undefined || !this.folds || !this.list) return;
    this.folds.toggle(Number(row));
    this.list.setRowCount(this.folds.visibleCount());
    this.list.render();
  }

  private step(direction: 1 | -1): void {
    const offset = this.finder?.step(direction);
    this.findBar.update();
    if (offset === undefined || !this.model || !this.list) return;
    const row = this.model.rowAt(offset);
    let visible = row;
    if (this.folds) {
      this.folds.reveal(row);
      this.list.setRowCount(this.folds.visibleCount());
      visible = this.folds.toVisible(row);
    }
    this.list.scrollToRow(visible);
    this.list.render();
  }

  private report(complete: boolean): void {
    const model = this.model;
    const firstLines: string[] = [];
    if (model) {
      for (let row = 0; row < Math.min(20, model.count); row++) firstLines.push(rowText(model, row));
    } else {
      firstLines.push(this.content.textContent ?? '');
    }
    this.actions.rendered({
      bodyKind: this.kind.kind,
      mode: this.mode,
      firstLines,
      lineCount: model?.count ?? 0,
      complete,
      ...(this.notes.firstChild ? { note: this.notes.firstChild.textContent ?? '' } : {}),
      shownRows: this.shownRows(),
    });
  }

  /** The drawn rows' text without the fold gutter, or the placeholder's text when there are no rows. */
  private shownRows(): string[] {
    if (!this.list) return [this.content.textContent ?? ''];
    const rows = [...this.list.element.querySelectorAll<HTMLElement>('.layer .row:not([hidden])')].slice(0, 20);
    return rows.map((row) => {
      const parts = [...row.childNodes].filter((n) => !(n instanceof Element && n.classList.contains('gutter')));
      return parts.map((n) => n.textContent ?? '').join('');
    });
  }
}
