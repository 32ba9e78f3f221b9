import type { Identity } from './types';

/** What the rest of the extension knows about an account without touching its key. */
export interface AccountInfo {
  keyId: string;
  label: string;
  projectCode: string;
  channelIdentifier?: string;
}

/** The state of the active account's session, as the status bar shows it. */
export type SessionState =
  | { kind: 'noAccount' }
  | { kind: 'signedOut'; account: AccountInfo; reason: 'new' | 'user' | 'expired' }
  | { kind: 'signingIn'; account: AccountInfo }
  | { kind: 'signedIn'; account: AccountInfo; identity: Identity; restored: boolean }
  | { kind: 'failed'; account: AccountInfo; message: string; hint?: string };

export interface StatusView {
  /** Status bar text; may hold codicons of ours, server text in it is escaped. */
  text: string;
  /** Tooltip lines; plain text, to be appended as text (never as markdown) by the caller. */
  tooltip: string[];
  attention: 'none' | 'warning' | 'error';
}

/**
 * Makes text from outside (server answers, key file fields) safe for a status bar label:
 * `$(name)` would otherwise render as an icon, so the `$` is escaped with a backslash, which the
 * workbench shows as the literal characters.
 */
export function escapeIcons(text: string): string {
  return text.replace(/(\\)?\$\(/g, (match, escaped) => (escaped ? match : '\\$('));
}

/** Removes control characters and squeezes whitespace, so a label stays on one line. */
export function oneLine(text: string, max = 60): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The status bar's view of a state. `ephemeral` is set when secrets live in memory only. */
export function describeStatus(state: SessionState, ephemeral?: string): StatusView {
  const memoryNote = ephemeral
    ? [`Credentials are kept in memory for this window only: SecretStorage is unavailable (${oneLine(ephemeral, 120)}).`]
    : [];
  const warn = ephemeral ? ' $(warning)' : '';
  switch (state.kind) {
    case 'noAccount':
      return {
        text: '$(key) Noon: Import Key',
        tooltip: ['No Noon key is stored.', 'Click to import the .json key file from the partner portal.', ...memoryNote],
        attention: 'none',
      };
    case 'signedOut':
      return {
        text: `$(account) Noon: ${escapeIcons(oneLine(state.account.label, 40))}${warn}`,
        tooltip: [
          state.reason === 'expired' ? 'The gateway ended the session.' : 'Not signed in.',
          `Account: ${oneLine(state.account.label, 120)} · project ${oneLine(state.account.projectCode, 40)}`,
          'Signs in on demand, or click to sign in now.',
          ...memoryNote,
        ],
        attention: 'none',
      };
    case 'signingIn':
      return {
        text: `$(sync~spin) Noon: signing in…`,
        tooltip: [`Signing in as ${oneLine(state.account.label, 120)}…`, ...memoryNote],
        attention: 'none',
      };
    case 'signedIn':
      return {
        text: `$(pass-filled) ${escapeIcons(oneLine(state.identity.username, 40))} · ${escapeIcons(
          oneLine(state.account.projectCode, 20),
        )}${warn}`,
        tooltip: [
          `Signed in to Noon as ${oneLine(state.identity.username, 200)}`,
          `User code: ${oneLine(state.identity.userCode, 80)}`,
          `Project: ${oneLine(state.account.projectCode, 40)}`,
          `Key: ${oneLine(state.account.label, 120)}`,
          state.restored ? 'Session restored from the last window.' : '',
          ...memoryNote,
        ].filter(Boolean),
        attention: ephemeral ? 'warning' : 'none',
      };
    case 'failed':
      return {
        text: `$(error) Noon: sign-in failed`,
        tooltip: [
          `Signing in as ${oneLine(state.account.label, 120)} failed.`,
          oneLine(state.message, 300),
          ...(state.hint ? [oneLine(state.hint, 300)] : []),
          'Click for details and to retry.',
          ...memoryNote,
        ],
        attention: 'error',
      };
  }
}
