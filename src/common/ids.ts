/** Every identifier the extension contributes, declared once. */

export const EXTENSION_ID = 'noon-tools.noon-vscode';

export const commands = {
  importCredentials: 'noon.importCredentials',
  pasteCredentials: 'noon.pasteCredentials',
  signIn: 'noon.signIn',
  signOut: 'noon.signOut',
  sendRequest: 'noon.sendRequest',
  switchAccount: 'noon.switchAccount',
  removeCredentials: 'noon.removeCredentials',
  showLog: 'noon.showLog',
  statusMenu: 'noon.statusMenu',
} as const;

/** The response viewer's webview type (also its `onWebviewPanel:` activation event). */
export const RESPONSE_VIEW_TYPE = 'noon.response';

/**
 * Commands behind the response viewer's buttons. They act on the active response panel (or the
 * one shown last), so keybindings, other extensions and tests reach exactly what the buttons do.
 */
export const responseCommands = {
  copyBody: 'noon.response.copyBody',
  copyCurl: 'noon.response.copyCurl',
  saveBody: 'noon.response.saveBody',
  openInEditor: 'noon.response.openInEditor',
} as const;

export const settings = {
  section: 'noon',
  gateway: 'gateway',
  customGatewayUrl: 'customGatewayUrl',
  userAgent: 'userAgent',
  requestTimeout: 'requestTimeout',
  openInNewPanel: 'response.openInNewPanel',
} as const;

/** Context keys, for `when` clauses. */
export const contexts = {
  /** boolean: at least one account is stored. */
  hasAccount: 'noon.hasAccount',
  /** boolean: the active account has a live session. */
  signedIn: 'noon.signedIn',
} as const;

/** Keys under which SecretStorage holds our data. Nothing secret is kept anywhere else. */
export const secretKeys = {
  accounts: 'noon.accounts',
  key: (keyId: string) => `noon.key.${keyId}`,
  session: (keyId: string) => `noon.session.${keyId}`,
} as const;

/** workspaceState key: the id (key_id) of the account this workspace uses; never key material. */
export const ACTIVE_ACCOUNT_STATE = 'noon.activeAccount';
