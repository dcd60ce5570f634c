/**
 * One headless Chromium for the whole UI suite: Debian's package (deploy/local/debian-packages), driven
 * by playwright-core, which downloads no browser. A fresh profile directory per run, and the flags that
 * keep the browser from reaching anything but the server under test.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.SLUICE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Where screenshots go: `SLUICE_UI_SCREENSHOTS` (set it to docs/ui to refresh the ones docs/ui.md
 * shows), else a folder under the system's temp directory, so a test run leaves the tree as it was.
 */
export const SCREENSHOTS = process.env.SLUICE_UI_SCREENSHOTS ?? join(tmpdir(), 'sluice-ui-screenshots');

export interface Browser {
  page(options: { width?: number; height?: number; key?: string; url: string }): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'sluice-ui-profile-'));
  await mkdir(SCREENSHOTS, { recursive: true });
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 860 },
    colorScheme: 'light',
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(30_000);
  return {
    /** A new tab on `url` with the API key entered (it is kept per tab, in sessionStorage). */
    async page({ width = 1280, height = 860, key, url }) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      (page as Page & { errors: string[] }).errors = errors;
      // As if the user had entered the key in this tab before (app.js keeps it in sessionStorage).
      if (key !== undefined) await page.addInitScript((k) => sessionStorage.setItem('sluice.apiKey', k), key);
      await page.goto(url);
      return page;
    },
    async screenshot(page, name) {
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path, fullPage: false });
      return path;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Uncaught errors of a page's scripts (a test asserts there were none). */
export function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}
