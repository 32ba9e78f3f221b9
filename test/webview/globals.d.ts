import type { HarnessApi } from './harnessPage';

declare global {
  interface Window {
    __harness: HarnessApi;
  }
}
