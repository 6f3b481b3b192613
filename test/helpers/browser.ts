// Debian chromium driven by playwright-core, the way every browser test starts it, and the
// accessibility basics every page visited must pass.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does it)`);
  return chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A French phone-sized page. */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 }, acceptDownloads: true });
  return context.newPage();
}

/** Every field has a label, every picture a text alternative, the page a language. */
export async function checkLabels(page: Page): Promise<void> {
  // A string, run in the page: the test code is compiled without DOM types.
  const problems = await page.evaluate<string[]>(`(() => {
    const out = [];
    for (const el of document.querySelectorAll('input:not([type=hidden]), textarea, select')) {
      if (!el.labels?.length && !el.getAttribute('aria-label')) out.push(el.tagName + ' ' + el.name + ' has no label');
    }
    for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) out.push('img ' + img.getAttribute('src') + ' has no alt');
    if (!document.documentElement.lang) out.push('no lang on <html>');
    return out;
  })()`);
  expect(problems, page.url()).to.deep.equal([]);
}
