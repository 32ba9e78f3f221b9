import type { PersistedState, ViewToHostMessage } from '../core/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The page's only line to the extension: typed sends and the persisted state. */
export interface HostLink {
  post(message: ViewToHostMessage): void;
  loadState(): unknown;
  saveState(state: PersistedState): void;
}

export function connectHost(): HostLink {
  // acquireVsCodeApi may be called once per page load only.
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    loadState: () => api.getState(),
    saveState: (state) => api.setState(state),
  };
}
