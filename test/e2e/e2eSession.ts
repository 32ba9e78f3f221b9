import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath } from '../host/paths';
import { CHROMIUM_ARGS } from '../host/launchChromium';
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

/** How a scenario wants its browser. */
export interface WorkbenchOptions {
  /**
   * Keep the browser's storage on disk in `<run>/browser-profiles/<profile>` (see `profileDir`), as a
   * user's browser does, instead of in memory. Needed to look at what code-server writes there.
   */
  profile?: string;
}

/** The folder a persistent browser profile named `name` lives in. */
export function profileDir(name: string): string {
  return path.join(e2eSession().run.root, 'browser-profiles', name.replace(/[^\w.-]+/g, '-'));
}

/**
 * Opens the workbench on the run's workspace in a fresh browser context, so each scenario starts
 * without the secrets and state (kept in browser storage by code-server) of the one before.
 */
export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Page> {
  const session = e2eSession();
  const viewport = { width: 1400, height: 900 };
  let context: BrowserContext;
  if (options.profile) {
    const dir = profileDir(options.profile);
    fs.mkdirSync(dir, { recursive: true });
    // A persistent context is its own browser process; the shared browser's contexts are off the record.
    context = await chromium.launchPersistentContext(dir, {
      executablePath: chromiumPath,
      headless: true,
      viewport,
      env: { ...process.env, TMPDIR: session.run.tmp },
      args: CHROMIUM_ARGS,
    });
  } else {
    context = await session.browser.newContext({ viewport });
  }
  contexts.push(context);
  const page = context.pages()[0] ?? (await context.newPage());
  lastPage = page;
  await page.goto(`${session.url}/?folder=${encodeURIComponent(session.run.workspace)}`);
  await waitForWorkbench(page);
  return page;
}

/** Closes the browser context of `page` (for a persistent profile: flushes its storage to disk and stops it). */
export async function closeWorkbench(page: Page): Promise<void> {
  const context = page.context();
  const at = contexts.indexOf(context);
  if (at >= 0) contexts.splice(at, 1);
  if (lastPage === page) lastPage = undefined;
  await context.close();
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

