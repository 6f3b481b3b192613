// Debian chromium driven by playwright-core, the way every browser test starts it, and the
// accessibility basics every page visited must pass.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  // bypassCSP lets the test inject axe-core; the pages' own CSP is tested over HTTP (hardening).
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 }, acceptDownloads: true, bypassCSP: true });
  return context.newPage();
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Every field has a label, every picture a text alternative, the page a language; and axe-core
 * (WCAG 2.1 A and AA rules) finds nothing serious or critical: contrast, names, structure.
 */
export async function checkLabels(page: Page): Promise<void> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate<string[]>(`(async () => {
    const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', '));
  })()`);
  expect(violations, `axe on ${page.url()}`).to.deep.equal([]);
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
  await fitsPhone(page);
}

/**
 * The page fits the narrowest phone we aim at (360 px) without scrolling sideways, and every
 * checkbox and radio button is at least 24 px (its label makes the 44 px target).
 */
export async function fitsPhone(page: Page): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 360, height: before?.height ?? 780 });
  const found = await page.evaluate<{ wide: number; wider: string[]; small: string[] }>(`(() => {
    const wide = document.documentElement.scrollWidth;
    const wider = [...document.querySelectorAll('main *')].filter((el) => el.getBoundingClientRect().right > 361)
      .slice(0, 3).map((el) => el.tagName + (el.id ? '#' + el.id : '') + '.' + el.className);
    const small = [...document.querySelectorAll('input[type=checkbox], input[type=radio]')]
      .filter((el) => el.offsetParent && el.getBoundingClientRect().width < 24).map((el) => el.id || el.name);
    return { wide, wider, small };
  })()`);
  if (before) await page.setViewportSize(before);
  expect(found.wide, `${page.url()} scrolls sideways at 360 px: ${found.wider.join(', ')}`).to.be.at.most(360);
  expect(found.small, `${page.url()}: small checkboxes or radio buttons`).to.deep.equal([]);
}

/** The instance admin signed in on a phone-sized page of `url` (the app's address). */
export async function adminOnPhone(browser: Browser, url: string, admin: { email: string; password: string }): Promise<Page> {
  const page = await phonePage(browser);
  await page.goto(`${url}/login`);
  await page.getByLabel('Adresse e-mail').fill(admin.email);
  await page.getByLabel('Mot de passe').fill(admin.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/dashboard/);
  return page;
}
