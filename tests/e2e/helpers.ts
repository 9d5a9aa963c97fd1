import { expect, Page, TestInfo, test as base } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import path from 'node:path';

// Expected texts come from the very locale files the app is built from.
const load = (name: string) => JSON.parse(fs.readFileSync(path.resolve(__dirname, `../../locales/${name}.json`), 'utf8'));
export const en = load('en');
export const zh = load('zh-CN');

export const isStatic = (info: TestInfo) => info.project.name === 'static';

/** Signs in the way each mode offers: a password against the server, a demo-user pick statically. */
export async function signIn(page: Page, info: TestInfo, username: string, password = 'demo') {
  await page.goto('/signin');
  if (isStatic(info)) {
    await page.locator('.picker-item').first().waitFor();
    const item = page.locator('.picker-item', { has: page.locator('.picker-login', { hasText: new RegExp(`^${username}$`) }) });
    // Past the first few of a role, accounts are folded away.
    const folded = page.locator('details.picker-more', { has: item });
    if (await folded.count()) await folded.locator('summary').click();
    await item.click();
  } else {
    // By id, not label: the sign-in page may already be in either language.
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(password);
    await page.locator('button[type=submit]').click();
  }
  await expect(page).not.toHaveURL(/\/signin/);
}

/** Signs out whoever is signed in (both modes) and signs in as `who`, in `language`. */
export async function actAs(page: Page, info: TestInfo, who: string, language: 'en' | 'zh-CN') {
  await page.context().clearCookies();
  await page.goto('/signin');
  await page.evaluate(() => localStorage.removeItem('kappa.demo.session'));
  await signIn(page, info, who);
  await useLanguage(page, language);
}

export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const violations = results.violations.map((v) => `${v.id}: ${v.help} @ ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(violations, `axe violations on ${page.url()}`).toEqual([]);
}

/** The page reads without sideways scrolling at the viewport's width. */
export async function expectNoSidewaysScroll(page: Page) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scroll, `document ${scroll} px wide in a ${width} px window at ${page.url()}`).toBeLessThanOrEqual(width);
}

export async function useLanguage(page: Page, language: 'en' | 'zh-CN') {
  const current = await page.locator('html').getAttribute('lang');
  if (current !== language) {
    // The button is named by the language it switches to, written in that language.
    await page.getByRole('button', { name: language === 'en' ? zh.shell.other_language : en.shell.other_language, exact: true }).first().click();
    await expect(page.locator('html')).toHaveAttribute('lang', language);
  }
}

/** Every test fails if the app panics: a wasm panic aborts the app, whatever the test checked. */
export const test = base.extend({
  page: async ({ page }, use) => {
    const panics: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && m.text().includes('panicked at')) panics.push(m.text().split('\n').slice(0, 4).join(' | ') + ' @ ' + page.url());
    });
    await use(page);
    expect(panics, 'the app panicked').toEqual([]);
  },
});
export { expect };
