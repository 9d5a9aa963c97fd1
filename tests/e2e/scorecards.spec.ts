import type { Page } from '@playwright/test';
import { expect, test, en, zh, expectAccessible, isStatic, signIn, useLanguage } from './helpers';

const fill = (s: string, values: Record<string, string | number>) => Object.entries(values).reduce((t, [k, v]) => t.replace(`{{${k}}}`, String(v)), s);

test('the starter scorecards are listed with their published versions, in both languages', async ({ page }, info) => {
  await signIn(page, info, 'admin');
  await page.goto('/scorecards');
  const rows = page.locator('tbody tr');
  // Other tests may add scorecards to the shared server database; the starters always come first.
  await expect(rows.nth(0)).toContainText('Customer service call');
  await expect(rows.nth(0).locator('td').nth(1)).toHaveText('v2');
  // 254 evaluations on v1 and 311 on v2 (44 of them scored from the demo's sampling queues),
  // plus the 188 of the two coaching follow-up samples (issue #23), all kept with their
  // versions. On the shared server database other tests score calls too.
  const evaluations = Number(await rows.nth(0).locator('td').nth(2).textContent());
  if (isStatic(info)) expect(evaluations).toBe(753);
  else expect(evaluations).toBeGreaterThanOrEqual(753);
  await expect(rows.nth(0)).toContainText(en.scorecards.status_published);
  await expect(rows.nth(1)).toContainText('Sales & retention call');
  await useLanguage(page, 'zh-CN');
  await expect(rows.nth(0)).toContainText('客户服务通话');
  await expect(rows.nth(0)).toContainText(zh.scorecards.status_published);
  await expect(rows.nth(0)).toContainText('2026年10月12日');
});

/** Builds "Escalation check": Opening (10) with a greeting and a fail-all identity check,
 *  Resolution (30) with a 1-point scale criterion that allows N/A. */
async function buildFromScratch(page: Page) {
  await page.goto('/scorecards');
  await page.getByRole('link', { name: en.scorecards.new }).click();
  await expect(page).toHaveURL(/\/scorecards\/new$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.builder.untitled);
  await page.locator('#f-name-en').fill('Escalation check');
  await page.locator('#f-name-zh').fill('升级检查');
  await page.locator('#f-sections-0-title-en').fill('Opening');
  await page.locator('#f-sections-0-criteria-0-title-en').fill('Greets the customer');
  await page.getByRole('button', { name: en.builder.add_criterion }).click();
  await expect(page.locator('#f-sections-0-criteria-1-title-en')).toBeFocused();
  await page.keyboard.type('Verifies identity');
  await page.locator('#f-sections-0-criteria-1-critical').selectOption('fail_all');
  await page.getByRole('button', { name: en.builder.add_section }).click();
  await page.locator('#f-sections-1-title-en').fill('Resolution');
  await page.locator('#f-sections-1-weight').fill('30');
  await page.locator('#f-sections-1-criteria-0-title-en').fill('Resolves the issue');
  await page.locator('#f-sections-1-criteria-0-answer_type').selectOption('scale');
  await page.locator('#f-sections-1-criteria-0-answer_type-points').fill('1');
  await page.locator('#f-sections-1-criteria-0-allow_na').check();
  // Weights 10 and 30: each section's share of the score is spelled out.
  await expect(page.getByTestId('weight-share')).toHaveText([fill(en.builder.weight_share, { share: '25.0%' }), fill(en.builder.weight_share, { share: '75.0%' })]);
  await expect(page.locator('.problems')).toHaveCount(0);
  await expect(page.getByText(en.builder.no_problems)).toBeVisible();
}

test('build a scorecard from scratch, preview its score, publish, edit into v2; a v1 evaluation keeps v1', async ({ page }, info) => {
  test.setTimeout(90_000);
  await signIn(page, info, 'lead1');
  await buildFromScratch(page);

  // Preview: Opening 2/2 × 10 + Resolution 0.75/1 × 30 = 10 + 22.5 = 32.5 of 40 → 81.25 %.
  const preview = page.locator('.builder-preview');
  await preview.locator('#preview-0-0').selectOption('yes');
  await preview.locator('#preview-0-1').selectOption('yes');
  await preview.locator('#preview-1-0').selectOption('s4');
  await expect(preview.getByTestId('score')).toHaveText('81.3%');
  await expect(preview.locator('.verdict')).toContainText(en.score.pass);
  // N/A leaves only Opening: 2/2 → 100 %.
  await preview.locator('#preview-1-0').selectOption('na');
  await expect(preview.getByTestId('score')).toHaveText('100.0%');
  await expect(preview.locator('.explain')).toContainText(en.score.rule_section_na);
  // Missing the fail-all identity check zeroes everything, and says why.
  await preview.locator('#preview-0-1').selectOption('no');
  await expect(preview.getByTestId('score')).toHaveText('0.0%');
  await expect(preview.locator('.verdict')).toContainText(en.score.auto_fail);
  await expect(preview.locator('.explain')).toContainText(fill(en.score.rule_auto_failed, { item: 'Verifies identity' }));
  await expectAccessible(page);

  await page.getByRole('button', { name: en.builder.publish, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: fill(en.builder.published_ok, { version: 1 }) }).first()).toBeVisible();
  await expect(page).toHaveURL(/\/scorecards\/\d+$/);
  const id = Number(page.url().split('/').pop());
  await expect(page.locator('.page-subtitle')).toHaveText(fill(en.builder.status_published, { version: 1, next: 2 }));

  // v2 moves weight to resolution: the same answers would now score 77.5 and fail.
  await page.locator('#f-sections-1-weight').fill('90');
  await expect(page.locator('.save-state')).toHaveText(en.builder.unsaved);
  await page.getByRole('button', { name: en.builder.publish, exact: true }).click();
  await expect(page.locator('.page-subtitle')).toHaveText(fill(en.builder.status_published, { version: 2, next: 3 }));
  // Nothing new to publish: no identical v3 that would split evaluations between twins.
  await expect(page.getByRole('button', { name: en.builder.publish, exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: en.builder.save, exact: true })).toBeDisabled();
  await expect(page.locator('#details-title + .field-row + .hint')).toContainText(/v2 · .*; v1 · /);

  await page.goto('/scorecards');
  await expect(page.locator('tbody tr', { hasText: 'Escalation check' }).locator('td').nth(1)).toHaveText('v2');

  if (!isStatic(info)) {
    // A reviewer scored a call with v1 before v2 was published (the review page is a later issue,
    // so the submission goes through the API the page will use).
    const detail = await (await page.request.get(`/api/scorecards/${id}`)).json();
    const v1 = detail.versions.find((v: { version: number }) => v.version === 1).id;
    const v2 = detail.versions.find((v: { version: number }) => v.version === 2).id;
    const answers = { criterion_1: 'yes', criterion_2: 'yes', criterion_3: { scale: 4 } };
    const submitted = await page.request.post('/api/evaluations', { data: { call_id: 1, scorecard_version_id: v1, answers } });
    expect(submitted.status()).toBe(201);
    const later = await page.request.post('/api/evaluations', { data: { call_id: 2, scorecard_version_id: v2, answers } });
    const [first, second] = [(await submitted.json()).evaluation, (await later.json()).evaluation];
    expect([first.score, second.score]).toEqual([81.25, 77.5]);

    await page.goto(`/evaluations/${first.id}`);
    await expect(page.getByTestId('pinned-version')).toHaveText(fill(en.evaluation.version, { version: 1 }));
    await expect(page.getByTestId('score')).toHaveText('81.3%');
    await expect(page.locator('.score-headline .verdict')).toContainText(en.score.pass);
    await expect(page.locator('.explain-section', { hasText: 'Resolution' }).locator('td').nth(2)).toHaveText('30');
    await expectAccessible(page);
    await useLanguage(page, 'zh-CN');
    await expect(page.getByTestId('pinned-version')).toHaveText(fill(zh.evaluation.version, { version: 1 }));
    await expect(page.locator('.score-headline .verdict')).toContainText(zh.score.pass);
    await expectAccessible(page);
    await useLanguage(page, 'en');
    await page.goto(`/evaluations/${second.id}`);
    await expect(page.getByTestId('pinned-version')).toHaveText(fill(en.evaluation.version, { version: 2 }));
    await expect(page.locator('.score-headline .verdict')).toContainText(en.score.fail);
  }
});

test('a seeded evaluation renders with the version it pinned, from its call, in both languages', async ({ page }, info) => {
  await signIn(page, info, 'reviewer1');
  // Call 30 was scored on the service scorecard's v1, when knowledge weighed 25 (v2: 20).
  await page.goto('/calls/30');
  const link = page.getByRole('link', { name: fill(en.evaluation.open, { id: 12 }) });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(/\/evaluations\/12$/);
  await expect(page.getByTestId('pinned-version')).toHaveText(fill(en.evaluation.version, { version: 1 }));
  await expect(page.locator('.explain-section', { hasText: 'Business knowledge' }).locator('td').nth(2)).toHaveText('25');
  const contributions = await page.locator('.explain-section td:nth-child(5)').allTextContents();
  const total = contributions.reduce((sum, t) => sum + Number(t), 0);
  const shown = Number((await page.getByTestId('score').textContent())!.replace('%', ''));
  expect(Math.abs(total - shown)).toBeLessThan(0.1);
  await useLanguage(page, 'zh-CN');
  await expect(page.locator('.explain-section', { hasText: '业务知识' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(fill(zh.evaluation.title, { id: 12 }));
});

test('a Chinese-only scorecard can be built in the Chinese interface and shows in English too', async ({ page }, info) => {
  await signIn(page, info, 'admin');
  await useLanguage(page, 'zh-CN');
  await page.goto('/scorecards/new');
  await page.locator('#f-name-zh').fill('投诉回访评分卡');
  await page.locator('#f-sections-0-title-zh').fill('回访');
  await page.locator('#f-sections-0-criteria-0-title-zh').fill('确认问题已解决');
  await expect(page.getByText(zh.builder.no_problems)).toBeVisible();
  await page.getByRole('button', { name: zh.builder.save, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: zh.builder.saved_ok }).first()).toBeVisible();
  await expect(page.locator('.page-subtitle')).toHaveText(fill(zh.builder.status_draft, { version: 1, lock: 1 }));
  await expectAccessible(page);
  await useLanguage(page, 'en');
  await page.goto('/scorecards');
  await expect(page.locator('tbody tr', { hasText: '投诉回访评分卡' })).toContainText(en.scorecards.status_draft);
});

test('bad input gets a precise error by path, and nothing saved is lost', async ({ page }, info) => {
  test.setTimeout(60_000);
  await signIn(page, info, 'admin');
  await buildFromScratch(page);
  await page.getByRole('button', { name: en.builder.save, exact: true }).click();
  await expect(page.locator('.page-subtitle')).toHaveText(fill(en.builder.status_draft, { version: 1, lock: 1 }));
  const problems = page.locator('.problems');
  const publish = page.getByRole('button', { name: en.builder.publish, exact: true });

  // Negative weight.
  await page.locator('#f-sections-1-weight').fill('-5');
  await expect(problems).toContainText(`sections[1].weight: ${en.invalid.negative_weight}`);
  await expect(page.locator('#f-sections-1-weight')).toHaveAttribute('aria-invalid', 'true');
  await expect(publish).toBeDisabled();
  // The problem's link takes the keyboard to the field.
  await problems.getByRole('link', { name: 'sections[1].weight' }).click();
  await expect(page.locator('#f-sections-1-weight')).toBeFocused();
  await page.locator('#f-sections-1-weight').fill('30');

  // Too-long text.
  await page.locator('#f-sections-0-title-en').fill('x'.repeat(201));
  await expect(problems).toContainText(`sections[0].title.en: ${fill(en.invalid.too_long, { max: 200 })}`);
  await page.locator('#f-sections-0-title-en').fill('Opening');

  // Duplicate option: a single choice whose second option reuses the first key.
  await page.locator('#f-sections-0-criteria-0-answer_type').selectOption('choice');
  await page.locator('#f-sections-0-criteria-0-answer_type-options-1-key').fill('met');
  await expect(problems).toContainText(`sections[0].criteria[0].answer_type.options[1].key: ${fill(en.invalid.duplicate_option, { key: 'met' })}`);

  // Empty section: its only criterion removed.
  await page.getByRole('button', { name: fill(en.builder.remove_item, { what: en.builder.criterion, n: 1 }) }).last().click();
  await expect(problems).toContainText(`sections[1].criteria: ${en.invalid.no_criteria}`);

  // Invalid JSON import: refused with where it broke; the editor keeps its content.
  await page.locator('input[type=file]').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"name": {"en": "Broken"},\n "pass_mark": "high"}') });
  const refused = page.getByRole('alert').filter({ hasText: en.builder.import_failed });
  await expect(refused).toContainText('line 2, column');
  await expect(page.locator('#f-name-en')).toHaveValue('Escalation check');

  // Leaving with unsaved edits asks first; the stored draft is untouched until a save.
  const asked: string[] = [];
  page.on('dialog', (dialog) => {
    asked.push(dialog.type());
    void dialog.accept();
  });
  await page.reload();
  expect(asked).toEqual(['beforeunload']);
  await expect(page.locator('#f-sections-1-criteria-0-title-en')).toHaveValue('Resolves the issue');
  await expect(page.locator('#f-sections-0-criteria-0-answer_type')).toHaveValue('yes_no');
  await page.locator('#f-sections-1-weight').fill('-1');
  // A save keeps work in progress, invalid or not, and then leaving asks nothing.
  await page.getByRole('button', { name: en.builder.save, exact: true }).click();
  await expect(page.locator('.page-subtitle')).toHaveText(fill(en.builder.status_draft, { version: 1, lock: 2 }));
  await page.reload();
  expect(asked).toEqual(['beforeunload']);
  await expect(page.locator('#f-sections-1-weight')).toHaveValue('-1');
  await expect(publish).toBeDisabled();
  await expectAccessible(page);
});

test('a stale save is refused with a clear message and overwrites nothing', async ({ page, context }, info) => {
  await signIn(page, info, 'admin');
  await buildFromScratch(page);
  await page.getByRole('button', { name: en.builder.save, exact: true }).click();
  await expect(page).toHaveURL(/\/scorecards\/\d+$/);
  const other = await context.newPage();
  await other.goto(page.url());
  await other.locator('#f-name-en').fill('Their edit');
  await other.getByRole('button', { name: en.builder.save, exact: true }).click();
  await expect(other.locator('.page-subtitle')).toHaveText(fill(en.builder.status_draft, { version: 1, lock: 2 }));

  await page.locator('#f-name-en').fill('My edit');
  await page.getByRole('button', { name: en.builder.save, exact: true }).click();
  const conflict = page.getByRole('alert').filter({ hasText: en.builder.conflict_title });
  await expect(conflict).toContainText(en.builder.conflict_body);
  await expect(page.locator('#f-name-en')).toHaveValue('My edit');
  const download = page.waitForEvent('download');
  await conflict.getByRole('button', { name: en.builder.conflict_download }).click();
  expect((await download).suggestedFilename()).toBe('My-edit.json');
  await conflict.getByRole('button', { name: en.builder.conflict_reload }).click();
  await expect(page.locator('#f-name-en')).toHaveValue('Their edit');
  await expect(page.locator('.page-subtitle')).toHaveText(fill(en.builder.status_draft, { version: 1, lock: 2 }));
});

test('sections and criteria reorder by keyboard; duplicate and archive work', async ({ page }, info) => {
  await signIn(page, info, 'admin');
  await buildFromScratch(page);
  // Alt+↑ in the second criterion's title moves it up, and the caret goes with it.
  await page.locator('#f-sections-0-criteria-1-title-en').focus();
  await page.keyboard.press('Alt+ArrowUp');
  await expect(page.locator('#f-sections-0-criteria-0-title-en')).toHaveValue('Verifies identity');
  await expect(page.locator('#f-sections-0-criteria-0-title-en')).toBeFocused();
  await expect(page.locator('[aria-live="polite"]')).toHaveText(fill(en.builder.moved, { what: en.builder.criterion, n: 1 }));
  // The move buttons work from the keyboard too, for sections.
  await page.getByRole('button', { name: fill(en.builder.move_down, { what: en.builder.section, n: 1 }) }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#f-sections-0-title-en')).toHaveValue('Resolution');
  await expect(page.getByRole('button', { name: fill(en.builder.move_down, { what: en.builder.section, n: 2 }) })).toBeFocused();

  await page.getByRole('button', { name: en.builder.save, exact: true }).click();
  await expect(page).toHaveURL(/\/scorecards\/\d+$/);
  const original = page.url();
  await page.getByRole('button', { name: en.builder.duplicate, exact: true }).click();
  await expect(page).not.toHaveURL(original);
  await expect(page.locator('#f-name-en')).toHaveValue('Escalation check (copy)');
  await expect(page.locator('#f-name-zh')).toHaveValue('升级检查（副本）');
  await page.getByRole('button', { name: en.builder.archive, exact: true }).click();
  await expect(page.locator('.page-subtitle')).toHaveText(en.builder.status_archived);
  await expect(page.locator('#f-name-en')).toBeDisabled();
  await page.goto('/scorecards');
  await expect(page.locator('tbody tr', { hasText: 'Escalation check (copy)' })).toContainText(en.scorecards.status_archived);
});

test('leaving the builder by a link with unsaved edits asks first', async ({ page }, info) => {
  await signIn(page, info, 'lead1');
  await page.goto('/scorecards/new');
  await page.locator('#f-name-en').fill('Half-built');
  let answer = false;
  const asked: string[] = [];
  page.on('dialog', (dialog) => {
    asked.push(dialog.message());
    void (answer ? dialog.accept() : dialog.dismiss());
  });
  await page.getByRole('link', { name: en.builder.back }).click();
  await expect(page).toHaveURL(/\/scorecards\/new$/);
  await expect(page.locator('#f-name-en')).toHaveValue('Half-built');
  answer = true;
  await page.getByRole('link', { name: en.builder.back }).click();
  await expect(page).toHaveURL(/\/scorecards$/);
  expect(asked).toEqual([en.builder.leave_unsaved, en.builder.leave_unsaved]);
});

test('reviewers and agents cannot open the builder', async ({ page }, info) => {
  await signIn(page, info, 'reviewer1');
  await page.goto('/scorecards/1');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.no_access.title);
});
