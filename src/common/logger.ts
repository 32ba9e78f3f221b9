import * as vscode from 'vscode';
import { redactText } from '../core/redact';
import type { CoreLog } from '../core/types';

/**
 * The "Noon" log channel. Every line passes through `redactText` with the secrets the extension
 * currently knows (tokens, cookie values), on top of the pattern-based masking.
 */
export class Logger implements CoreLog, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor() {
    this.channel = vscode.window.createOutputChannel('Noon', { log: true });
  }

  /** Values that must never be written, whatever the context (session cookie values, for example). */
  forget(value: string | undefined): void {
    if (value && value.length >= 6) this.secrets.add(value);
  }

  trace(message: string): void {
    this.channel.trace(this.clean(message));
  }
  debug(message: string): void {
    this.channel.debug(this.clean(message));
  }
  info(message: string): void {
    this.channel.info(this.clean(message));
  }
  warn(message: string): void {
    this.channel.warn(this.clean(message));
  }
  error(message: string | Error): void {
    const text = message instanceof Error ? `${message.name}: ${message.message}` : message;
    this.channel.error(this.clean(text));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }

  private clean(message: string): string {
    return redactText(message, this.secrets);
  }
}
