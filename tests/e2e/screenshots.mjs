// Takes Chromium screenshots of the main pages in both languages, for people to look at:
//   node tests/e2e/screenshots.mjs http://127.0.0.1:8080 target/screenshots
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

const [base = 'http://127.0.0.1:8080', out = 'target/screenshots'] = process.argv.slice(2);
fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const staticMode = (await (await fetch(`${base}/config.json`)).json()).mode === 'fixtures';

for (const lang of ['en', 'zh-CN']) {
  for (const [width, tag] of [[1280, 'desktop'], [820, 'tablet']]) {
    const context = await browser.newContext({ viewport: { width, height: 860 }, locale: lang });
    await context.addInitScript((l) => localStorage.setItem('kappa.language', JSON.stringify(l)), lang);
    const page = await context.newPage();
    const shot = async (name) => {
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(out, `${name}-${lang}-${tag}.png`), fullPage: false });
    };
    await page.goto(`${base}/signin`);
    await page.waitForSelector('h1');
    await shot('signin');
    if (staticMode) {
      await page.locator('.picker-item', { hasText: 'admin' }).first().click();
    } else {
      await page.fill('#username', 'admin');
      await page.fill('#password', 'demo');
      await page.click('button[type=submit]');
    }
    await page.waitForURL(/\/queue/);
    await page.waitForSelector('tbody tr');
    await shot('queue');
    await page.goto(`${base}/queue?show=overdue`);
    await page.waitForSelector('tbody tr');
    await shot('queue-overdue');
    await page.goto(`${base}/sampling`);
    await page.waitForSelector('tbody tr');
    await shot('sampling');
    await page.goto(`${base}/sampling/1`);
    await page.waitForSelector('tbody tr');
    await page.locator('#next-preview-title').locator('..').getByRole('button').click();
    await page.waitForSelector('.preview-panel');
    await shot('plan');
    await page.locator('.preview-panel').scrollIntoViewIfNeeded();
    await shot('plan-preview');
    await page.goto(`${base}/sampling`);
    await page.waitForSelector('tbody tr');
    await page.locator('.page-actions .button-primary').click();
    await page.waitForSelector('#plan-name');
    await page.fill('#plan-name', lang === 'en' ? 'Refund calls, November' : '十一月退款通话');
    await page.selectOption('#plan-window', 'fixed');
    await page.fill('#plan-from', '2026-11-01');
    await page.fill('#plan-to', '2026-11-22');
    await page.selectOption('#plan-queue', 'refunds');
    await page.check('#plan-reviewer-6');
    await page.check('#plan-reviewer-7');
    await page.locator('.plan-form button[type=submit]').click();
    await page.waitForSelector('.preview-panel');
    await page.locator('.preview-panel').scrollIntoViewIfNeeded();
    await shot('plan-form-preview');
    await page.goto(`${base}/calls`);
    await page.waitForSelector('tbody tr');
    await shot('calls');
    await page.goto(`${base}/calls?team=2&complaint=yes&sort=csat&dir=asc`);
    await page.waitForSelector('tbody tr');
    await shot('calls-filtered');
    await page.goto(`${base}/calls?queue=changes&size=200`);
    await page.waitForSelector('tbody tr');
    await page.locator('tbody tr', { has: page.locator('.tag:not(.tag-danger)') }).first().getByRole('link').click();
    await page.waitForSelector('.transcript');
    await shot('call');
    await page.goto(`${base}/scorecards`);
    await page.waitForSelector('tbody tr');
    await shot('scorecards');
    await page.goto(`${base}/scorecards/1`);
    await page.waitForSelector('.section-editor');
    await page.getByRole('button', { name: lang === 'en' ? 'Answer all best' : '全部最佳' }).click();
    await shot('scorecard-editor');
    await page.goto(`${base}/scorecards/new`);
    await page.waitForSelector('.section-editor');
    await shot('scorecard-new');
    await page.goto(`${base}/calls/30`);
    await page.waitForSelector('#evaluations-title');
    await page.locator('#evaluations-title').scrollIntoViewIfNeeded();
    await shot('call-evaluations');
    await page.goto(`${base}/evaluations/12`);
    await page.waitForSelector('.explain');
    await shot('evaluation');
    await page.goto(`${base}/disputes?view=all`);
    await page.waitForSelector('tbody tr');
    await shot('disputes');
    await page.locator('tbody tr').first().getByRole('link').click();
    await page.waitForSelector('[data-testid=dispute]');
    await page.locator('#disputes-title').scrollIntoViewIfNeeded();
    await shot('evaluation-dispute');
    await page.goto(`${base}/calibration`);
    await page.waitForSelector('tbody tr');
    await shot('calibration');
    await page.locator('.page-actions .button-primary').click();
    await page.waitForSelector('#calibration-title');
    await shot('calibration-new');
    await page.goto(`${base}/calibration/1`);
    await page.waitForSelector('table.matrix');
    await shot('calibration-session');
    for (const section of ['#answers-title', '#statistics-title', '#least-title']) {
      await page.locator(section).scrollIntoViewIfNeeded();
      await shot(`calibration-session-${section.slice(1, -6)}`);
    }
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(out, `calibration-print-${lang}-${tag}.png`), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${base}/calibration/4`);
    await page.waitForSelector('.consensus-form');
    await page.locator('.consensus-form').scrollIntoViewIfNeeded();
    await shot('calibration-consensus');
    await page.goto(`${base}/calibration/6`);
    await page.waitForSelector('#progress-title');
    await shot('calibration-blind');
    await page.goto(`${base}/calibration/history`);
    await page.waitForSelector('.trend-chart');
    await shot('calibration-history');
    await page.goto(`${base}/review/5141`);
    await page.waitForSelector('section.criterion');
    for (const key of ['y', '4', 'y', 'l', 'l', 'e', 'y']) await page.keyboard.press(key);
    await shot('review');
    await page.keyboard.press('?');
    await page.waitForSelector('.dialog');
    await shot('review-shortcuts');
    await page.keyboard.press('Escape');
    await page.goto(`${base}/users`);
    await page.waitForSelector('tbody tr');
    await shot('users');
    await page.locator('.page-actions .button-primary').click();
    await page.fill('#username', 'bad name!');
    await page.fill('#new-password', 'short');
    await page.locator('#new-user-title').locator('xpath=..').locator('button[type=submit]').click();
    await page.waitForSelector('.field-error');
    await shot('users-new');
    await page.goto(`${base}/account`);
    await page.waitForSelector('h1');
    await shot('account');
    await page.goto(`${base}/nowhere`);
    await page.waitForSelector('.empty-state h1');
    await shot('404');
    // A page whose code cannot be fetched (offline): the retry state inside the shell.
    await page.route(/split_reports\.wasm$/, (route) => route.abort('failed'));
    await page.locator('.sidenav a[href="/reports"]').click();
    await page.waitForSelector('.chunk-unavailable');
    await shot('chunk-unavailable');
    // An agent's own feedback, on a phone.
    await page.unroute(/split_reports\.wasm$/);
    await context.clearCookies();
    await page.evaluate(() => localStorage.removeItem('kappa.demo.session'));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/signin`);
    await page.waitForSelector('h1');
    if (staticMode) {
      await page.locator('.picker-item', { has: page.locator('.picker-login', { hasText: /^agent2$/ }) }).click();
    } else {
      await page.fill('#username', 'agent2');
      await page.fill('#password', 'demo');
      await page.click('button[type=submit]');
    }
    await page.waitForURL(/\/me/);
    await page.waitForSelector('[data-testid=feedback-item]');
    await shot('feedback-phone');
    await context.close();
  }
}
await browser.close();
console.log(`screenshots in ${out}`);
