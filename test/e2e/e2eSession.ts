import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunDir } from '../host/runDir';
import type { TestEnvironment } from '../host/testEnvironment';
import { waitForWorkbench } from './workbench';

/** What every scenario can use: the gateway with its keys, and code-server with the VSIX installed. */
export interface E2eSession {
  run: RunDir;
  env: TestEnvironment;
  /** code-server's base URL. */
  url: string;
  browser: Browser;
}

let active: E2eSession | undefined;
const contexts: BrowserContext[] = [];
let lastPage: Page | undefined;

/** Makes `session` the one scenarios see; the runner calls it before the scenarios load. */
export function setE2eSession(session: E2eSession): void {
  active = session;
}

/** The running session. */
export function e2eSession(): E2eSession {
  if (!active) throw new Error('the e2e session has not been started (run test/e2e/run.ts)');
  return active;
}

/**
 * Opens the workbench on the run's workspace in a fresh browser context, so each scenario starts
 * without the secrets and state (kept in browser storage by code-server) of the one before.
 */
export async function openWorkbench(): Promise<Page> {
  const session = e2eSession();
  const context = await session.browser.newContext({ viewport: { width: 1400, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  lastPage = page;
  await page.goto(`${session.url}/?folder=${encodeURIComponent(session.run.workspace)}`);
  await waitForWorkbench(page);
  return page;
}

/** The page most recently opened, for screenshots after a failure. */
export function currentPage(): Page | undefined {
  return lastPage;
}

/** Closes every browser context the scenarios opened. */
export async function closeWorkbenches(): Promise<void> {
  await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => undefined)));
  lastPage = undefined;
}

