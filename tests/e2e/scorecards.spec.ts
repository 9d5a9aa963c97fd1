import { expect, test } from '@playwright/test';
import { en, zh, signIn, useLanguage } from './helpers';

test('the starter scorecards are listed with their published versions, in both languages', async ({ page }, info) => {
  await signIn(page, info, 'admin');
  await page.goto('/scorecards');
  const rows = page.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Customer service call');
  await expect(rows.nth(0).locator('td').nth(1)).toHaveText('v2');
  await expect(rows.nth(0)).toContainText(en.scorecards.status_published);
  await expect(rows.nth(1)).toContainText('Sales & retention call');
  await useLanguage(page, 'zh-CN');
  await expect(rows.nth(0)).toContainText('客户服务通话');
  await expect(rows.nth(0)).toContainText(zh.scorecards.status_published);
  await expect(rows.nth(0)).toContainText('2026年10月12日');
});
