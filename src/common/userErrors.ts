import * as vscode from 'vscode';
import { KeyFileError } from '../core/keyFile';
import { NoonError } from '../core/errors';
import type { Logger } from './logger';
import { commands } from './ids';

/** Thrown when the user backs out of a prompt; never reported. */
export class Cancelled extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'Cancelled';
  }
}

function isExpected(e: unknown): boolean {
  return e instanceof Error && ['KeyImportError', 'NoAccountError', 'GatewayNotSetError'].includes(e.name);
}

function isSilent(e: unknown): boolean {
  return e instanceof Cancelled || (e instanceof NoonError && e.kind === 'cancelled');
}

/** A one-line message for a notification: no stack, no response body. */
export function userMessage(e: unknown): string {
  if (e instanceof NoonError) return e.hint ? `${e.message} ${e.hint}` : e.message;
  if (e instanceof KeyFileError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * Wraps a command handler: failures are logged in full and shown once, briefly, with a way to
 * the log; cancellation is silent. The handler's result is passed through for callers, and a
 * caller that passed arguments (a keybinding, a task, another extension) also gets the error.
 */
export function guarded<A extends unknown[], R>(
  log: Logger,
  name: string,
  handler: (...args: A) => Promise<R>,
): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (e) {
      if (isSilent(e)) {
        log.debug(`${name}: cancelled`);
        return undefined;
      }
      // A refused key file or a missing account is the user's to fix: one warning line is enough.
      if (isExpected(e)) log.warn(`${name}: ${userMessage(e)}`);
      else log.error(`${name} failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      void showError(userMessage(e));
      if (args.length > 0) throw e;
      return undefined;
    }
  };
}

export async function showError(message: string): Promise<void> {
  const showLog = vscode.l10n.t('Show Log');
  const choice = await vscode.window.showErrorMessage(message, showLog);
  if (choice === showLog) await vscode.commands.executeCommand(commands.showLog);
}
