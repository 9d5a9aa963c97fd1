import * as fs from 'fs';
import * as path from 'path';
import { actAs, expect, test, en, zh, expectAccessible, signIn } from './helpers';

const demoPlans: { spec: { name: { en: string; zh: string } } }[] = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../dist/fixtures/sampling.json'), 'utf8'),
).plans;

const fill = (text: string, values: Record<string, string | number>) =>
  Object.entries(values).reduce((t, [k, v]) => t.replace(`{{ ${k} }}`, String(v)), text);

for (const language of ['en', 'zh-CN'] as const) {
  const L = language === 'en' ? en : zh;

  test(`a lead plans, previews and commits; reviewers work their shares; the lead reassigns (${language})`, async ({ page }, info) => {
    test.setTimeout(120_000);
    const name = `October check ${language} ${Date.now() % 100000}`;
    await actAs(page, info, 'lead1', language);
    await page.goto('/sampling');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(L.sampling.title);
    // The demo's plans are named in the reader's language alone, not both at once.
    const demoName = demoPlans[0].spec.name;
    await expect(page.getByRole('link', { name: language === 'en' ? demoName.en : demoName.zh, exact: true })).toBeVisible();
    await page.getByRole('button', { name: L.sampling.new }).click();
    await page.locator('#plan-name').fill(name);
    await page.locator('#plan-window').selectOption('fixed');
    await page.locator('#plan-from').fill('2026-10-01');
    await page.locator('#plan-to').fill('2026-10-31');
    await page.locator('#plan-team').selectOption('1');
    await expect(page.locator('#plan-strategy')).toHaveValue('stratified');
    await page.locator('#plan-n').fill('18');
    await page.locator('#plan-by').selectOption('agent');
    await page.locator('#plan-allocation').selectOption('equal');
    await page.locator('#plan-reviewer-4').check();
    await page.locator('#plan-reviewer-5').check();
    await page.locator('#plan-recurrence').selectOption('once');
    await page.locator('#plan-seed').fill('4242');

    // A mistake first: the refusal names the field, beside it.
    await page.locator('#plan-due').fill('0');
    await page.getByRole('button', { name: L.sampling.preview, exact: true }).click();
    await expect(page.locator('#plan-due-error')).toBeVisible();
    await page.locator('#plan-due').fill('5');

    await page.getByRole('button', { name: L.sampling.preview, exact: true }).click();
    const preview = page.getByRole('region', { name: L.sampling.preview_title });
    await expect(preview).toBeVisible();
    await expect(preview.locator('.stat').nth(1).locator('dd')).toHaveText('18');
    // Nine agents in the team, two calls each, shared evenly by the two reviewers.
    const perReviewer = preview.locator('table').nth(1).locator('tbody tr');
    await expect(perReviewer).toHaveCount(2);
    await expect(perReviewer.locator('td.num')).toHaveText(['9', '9']);
    await expect(preview.locator('.estimate').first()).toBeVisible();
    // Why fewer calls are eligible than the filters match: each exclusion with its count.
    const template = (t: string) => new RegExp(t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{\\\{ \w+ \\\}\\\}/g, '.+'));
    await expect(preview.getByTestId('left-out')).toHaveText(template(L.sampling.left_out));
    await expect(preview.getByTestId('left-out')).toContainText(L.sampling.left_out_evaluated.replace('{{ n }}', '').trim());
    await expectAccessible(page);

    await preview.getByRole('button', { name: L.sampling.commit }).click();
    const notice = page.getByRole('status').filter({ hasText: fill(L.sampling.committed_notice, { count: 18 }) });
    await expect(notice).toBeVisible();
    const href = await notice.getByRole('link').getAttribute('href');
    const plan = Number(href!.split('/').pop());
    await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(1);

    // reviewer1 sees their nine and replaces one with a reason.
    await actAs(page, info, 'reviewer1', language);
    await page.goto(`/queue?plan=${plan}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(L.queue_page.title);
    const rows = page.locator('tbody tr');
    await expect(rows).toHaveCount(9);
    await expectAccessible(page);
    await rows.first().getByRole('button', { name: L.queue_page.replace }).click();
    await expect(page.locator('#replace-reason')).toBeFocused();
    await page.keyboard.type('Silent recording after 0:40');
    await page.keyboard.press('Enter');
    await expect(page.locator('.alert-ok')).toBeVisible();
    await expect(rows).toHaveCount(9);
    await page.goto(`/queue?plan=${plan}&show=replaced`);
    await expect(page.locator('tbody tr')).toHaveCount(1);
    await expect(page.locator('tbody tr')).toContainText('Silent recording after 0:40');

    // reviewer2 sees their own nine, and nothing of reviewer1's.
    await actAs(page, info, 'reviewer2', language);
    await page.goto(`/queue?plan=${plan}`);
    await expect(page.locator('tbody tr')).toHaveCount(9);

    // The lead hands one of reviewer2's calls to reviewer3 and sees it in the plan's progress.
    await actAs(page, info, 'lead1', language);
    await page.goto(`/queue?plan=${plan}&reviewer=5`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(L.queue_page.title_all);
    await page.locator('tbody tr').first().getByRole('button', { name: L.queue_page.reassign }).click();
    await page.locator('#reassign-to').selectOption('6');
    await page.getByRole('form', { name: L.queue_page.reassign_title }).getByRole('button', { name: L.queue_page.reassign }).click();
    await expect(page.locator('.alert-ok')).toBeVisible();
    await expect(page.locator('tbody tr')).toHaveCount(8);
    await page.goto(`/sampling/${plan}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    const progress = page.getByRole('region', { name: L.sampling.progress_title }).locator('tbody tr');
    await expect(progress).toHaveCount(3);
    // reviewer1: 9 open and 1 replaced; reviewer2: 8 open; reviewer3: 1 open.
    await expect(progress.nth(0).locator('td.num')).toHaveText(['0', '9', '0', '1']);
    await expect(progress.nth(1).locator('td.num')).toHaveText(['0', '8', '0', '0']);
    await expect(progress.nth(2).locator('td.num')).toHaveText(['0', '1', '0', '0']);
    await expectAccessible(page);

    // Run now assigns work: it says what it would do and waits for a second yes; Cancel leaves
    // everything as it was.
    await page.getByTestId('run-now').click();
    const confirm = page.getByTestId('run-confirm');
    await expect(confirm).toBeVisible();
    const words = new RegExp(`${L.sampling.run_confirm.split('{{')[0].trim()}|${L.sampling.run_confirm_nothing}`);
    await expect(confirm).toContainText(words);
    await expectAccessible(page);
    await confirm.getByRole('button', { name: L.common.cancel }).click();
    await expect(confirm).toHaveCount(0);
    await expect(progress.nth(0).locator('td.num')).toHaveText(['0', '9', '0', '1']);

    // The plan is edited (its next run draws with the change), paused, then archived.
    await page.getByTestId('edit-plan').click();
    await expect(page.locator('#plan-name')).toHaveValue(name);
    await expect(page.locator('#plan-n')).toHaveValue('18');
    await expect(page.locator('#plan-from')).toHaveValue('2026-10-01');
    await page.locator('#plan-name').fill(`${name} v2`);
    await page.locator('#plan-n').fill('10');
    const form = page.locator('.plan-form');
    await form.getByRole('button', { name: L.sampling.preview, exact: true }).click();
    await form.getByRole('button', { name: L.sampling.save_edit }).click();
    await expect(page.getByRole('status').filter({ hasText: L.sampling.edited_notice })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${name} v2`);
    await page.getByTestId('pause-plan').click();
    await expect(page.getByTestId('plan-status-note')).toContainText(L.sampling.paused_note);
    await expect(page.getByTestId('resume-plan')).toBeVisible();
    await expectAccessible(page);
    await page.getByTestId('archive-plan').click();
    await expect(page.getByTestId('plan-status-note')).toContainText(L.sampling.archived_note);
    await expect(page.getByTestId('run-now')).toHaveCount(0);
    await expect(page.getByTestId('edit-plan')).toHaveCount(0);
    // Archived plans leave the list until asked for.
    await page.goto('/sampling');
    const row = page.getByRole('row').filter({ hasText: `${name} v2` });
    await expect(row).toBeHidden();
    await page.getByTestId('toggle-archived').click();
    await expect(row).toBeVisible();
    await expect(row.getByTestId('plan-status')).toHaveText(L.sampling.status_archived);
    await expectAccessible(page);
  });
}

test('the demo queues show every state, and agents see nothing of sampling', async ({ page }, info) => {
  await signIn(page, info, 'reviewer2');
  await page.goto('/queue?show=overdue');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await expect(page.locator('tbody tr .tag-danger').first()).toHaveText(en.queue_page.show_overdue);
  await page.goto('/queue?show=done');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await page.goto('/sampling');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.no_access.title);
  await page.context().clearCookies();
  await page.evaluate(() => localStorage.removeItem('kappa.demo.session'));
  await signIn(page, info, 'agent1');
  for (const path of ['/queue', '/sampling', '/sampling/1']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.no_access.title);
  }
});

test('the sample size calculator gives the published Cochran values', async ({ page }, info) => {
  await signIn(page, info, 'lead2');
  await page.goto('/sampling');
  const result = page.locator('.calc-result');
  await expect(result).toHaveText(fill(en.sampling.calc_result, { n: 278 }));
  await page.locator('#calc-population').fill('60000');
  await page.locator('#calc-confidence').selectOption('0.99');
  await page.locator('#calc-margin').fill('3');
  await expect(result).toHaveText(fill(en.sampling.calc_result, { n: '1,789' }));
});
