import { execFileSync } from 'node:child_process';
import { actAs, expect, expectAccessible, expectNoSidewaysScroll, test, en, zh } from './helpers';

/**
 * A Chinese platform's export, written by iconv (not by Kappa) in GB18030: five calls, one
 * with a date no calendar has (refused by the file's checks) and one whose agent code no one
 * has (refused by the centre's rules); a queue the centre does not know yet (`newQueue`), one
 * it knows by another name, and an outcome in Chinese.
 */
function chineseExport(tag: string, newQueue: string): Buffer {
  const rows = [
    '通话ID,坐席工号,开始时间,通话时长,主叫号码,技能组,呼叫方向,处理结果,满意度,投诉,IVR路径',
    `${tag}-1,1001,2026-11-30 09:00:05,00:05:47,13800138001,${newQueue},呼入,已解决,满意,否,${tag}`,
    `${tag}-2,1002,2026-11-30 09:20:11,00:08:37,13800138002,售后服务,呼入,已解决,不满意,是,${tag}`,
    `${tag}-3,1003,2026-11-30 10:02:44,00:02:13,13800138003,${newQueue},呼出,已解决,一般,否,${tag}`,
    `${tag}-4,1001,2026-13-45 10:30:09,00:00:58,13800138004,售后服务,呼入,已解决,,否,${tag}`,
    `${tag}-5,9999,2026-11-30 11:00:00,00:03:00,13800138005,售后服务,呼入,已解决,,否,${tag}`,
  ];
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: rows.join('\r\n') + '\r\n' });
}

for (const language of ['en', 'zh-CN'] as const) {
  const L = language === 'en' ? en : zh;

  test(`a lead imports a GB18030 export: dry run, a new queue mapped, commit, the calls in the library (${language})`, async ({ page }, info) => {
    test.setTimeout(120_000);
    // Each language its own lead, calls and queue: the demo server is shared by every test.
    const tag = `e2e${language === 'en' ? 'en' : 'zh'}${Date.now() % 1000000}`;
    const newQueue = `会员专线${tag.slice(-4)}`;
    await actAs(page, info, language === 'en' ? 'lead1' : 'lead2', language);
    await page.goto('/import');
    await expect(page.getByRole('heading', { level: 1, name: L.import.title })).toBeVisible();
    await expectAccessible(page);

    // Read at once in the browser: the encoding found, the Chinese headers mapped.
    await page.locator('#import-file').setInputFiles({ name: `话单-${tag}.csv`, mimeType: 'text/csv', buffer: chineseExport(tag, newQueue) });
    await expect(page.locator('#import-encoding')).toHaveValue('gb18030');
    await expect(page.locator('.preview-table thead')).toContainText('坐席工号');
    await expect(page.locator('.preview-table tbody')).toContainText(newQueue);
    await expect(page.locator('#map-external_id')).toHaveValue('通话ID');
    await expect(page.locator('#map-agent')).toHaveValue('坐席工号');
    await expect(page.locator('#map-queue')).toHaveValue('技能组');
    await page.locator('#import-source').fill(`e2e-${tag}`.toLowerCase());
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);

    await page.getByRole('button', { name: L.import.check }).click();
    const dryRun = page.getByRole('group', { name: L.import.dry_run_title });
    await expect(dryRun).toBeVisible({ timeout: 30_000 });
    // The row the file's checks rejected is named with its row and column.
    await expect(dryRun.locator('tbody')).toContainText('2026-13-45');
    const values = page.getByRole('group', { name: L.import.values });
    await expect(values).toBeVisible();
    await values.getByLabel(newQueue).selectOption({ label: L.import.add_queue });
    await values.getByLabel('售后服务').selectOption({ value: 'changes' });
    await values.getByLabel('已解决').selectOption({ value: 'resolved' });
    await expectAccessible(page);
    await values.getByRole('button', { name: L.import.check_again }).click();

    // Checked again: every name mapped, three calls to take, one refused by the centre's rules.
    await expect(page.getByRole('group', { name: L.import.values })).toHaveCount(0, { timeout: 30_000 });
    const counts = page.getByRole('group', { name: L.import.dry_run_title }).locator('dl');
    await expect(counts.locator('div', { hasText: L.import.would_new }).locator('dd')).toHaveText('3');
    await expect(counts.locator('div', { hasText: L.import.refused }).locator('dd')).toHaveText('1');
    await expect(page.getByRole('group', { name: L.import.dry_run_title }).locator('tbody')).toContainText(`${tag}-5`);
    await expectAccessible(page);

    await page.getByRole('button', { name: L.import.commit.replace('{{ calls }}', '3') }).click();
    await expect(page.getByRole('status').filter({ hasText: L.import.committed_note })).toBeVisible({ timeout: 30_000 });
    const done = page.getByRole('group', { name: L.import.done_title }).locator('dl');
    await expect(done.locator('div', { hasText: L.import.new_calls }).locator('dd')).toHaveText('3');
    await expect(page.getByRole('region', { name: L.import.history }).or(page.locator('section[aria-labelledby=import-history]'))).toContainText(`话单-${tag}.csv`);

    // In the library: found by the attribute the file brought, each with its queue.
    await page.goto(`/calls?attr=${encodeURIComponent(`IVR路径=${tag}`)}`);
    const rows = page.locator('table tbody tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.filter({ hasText: newQueue })).toHaveCount(2);
    await rows.filter({ hasText: newQueue }).first().getByRole('link').first().click();
    await expect(page.getByText(tag).first()).toBeVisible();
  });
}

test('reviewers and agents have no import page', async ({ page }, info) => {
  await actAs(page, info, 'reviewer1', 'en');
  await page.goto('/calls');
  await expect(page.getByRole('navigation', { name: en.nav.label })).toBeVisible();
  await expect(page.getByRole('link', { name: en.nav.import })).toHaveCount(0);
  await page.goto('/import');
  await expect(page.locator('#import-file')).toHaveCount(0);
});
