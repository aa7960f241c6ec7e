// Opens a local HTML file in headless Chromium (playwright-core, the Debian browser) and records what went wrong while loading.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const NO_CHROMIUM = `skipped: ${CHROMIUM} is not installed (apt-get install chromium; .ci/run installs it)`;

export interface LoadedPage {
  page: Page;
  /** console errors and warnings (a CSP violation is one), uncaught exceptions, failed or refused requests */
  problems: string[];
}

export async function launchChromium(): Promise<Browser> {
  // playwright gives each launch a fresh temporary profile (--user-data-dir)
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export async function openFile(browser: Browser, file: string): Promise<LoadedPage> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems };
}
