// The daily path as people meet it (issue #21), each at the width where its defect showed, in
// both languages. Reads only: the shared demo server is left as it was.
import fs from 'node:fs';
import path from 'node:path';
import { actAs, expect, test, en, zh, expectAccessible, expectNoSidewaysScroll } from './helpers';

const fixtures = path.resolve(__dirname, '../../dist/fixtures');
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8'));
const teams: { id: number; name: { en: string; zh: string } }[] = read('teams.json');
const sampling: { plans: { id: number; spec: { population: string } }[]; assignments: { call_id: number; reviewer_id: number; status: string }[] } = read('sampling.json');
const plans = sampling.plans;
const calls: { id: number; recording: string | null; customer_ref: string }[] = read('calls.json');
const users: { id: number; username: string }[] = read('users.json');
const drafts: { call_id: number; reviewer_id: number }[] = read('reviews.json').drafts;

/** Open calls of the reviewer's queue without a recording or a draft, in queue order. */
function unrecordedAssignments(reviewer: string) {
  const id = users.find((u) => u.username === reviewer)!.id;
  return sampling.assignments
    .filter((a) => a.reviewer_id === id && a.status === 'open')
    .map((a) => calls.find((c) => c.id === a.call_id)!)
    .filter((c) => !c.recording && !drafts.some((d) => d.reviewer_id === id && d.call_id === c.id));
}

for (const language of ['en', 'zh-CN'] as const) {
  const L = language === 'en' ? en : zh;

  test(`the queue's primary action is on screen at 1280 px and a row opens its review (${language})`, async ({ page }, info) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    for (const [who, url] of [['reviewer1', '/queue'], ['lead1', '/queue?show=all']]) {
      await actAs(page, info, who, language);
      await page.goto(url);
      const score = page.getByTestId('score-call').first();
      await expect(score).toBeVisible();
      const box = (await score.boundingBox())!;
      expect(box.x + box.width, `${who}: Score ends at ${box.x + box.width} px`).toBeLessThanOrEqual(1280);
      await expectNoSidewaysScroll(page);
      const wrap = page.locator('.queue-table').locator('xpath=..');
      const [inner, outer] = await wrap.evaluate((el) => [el.scrollWidth, el.clientWidth]);
      expect(inner, `${who}: the table is ${inner} px in ${outer} px`).toBeLessThanOrEqual(outer);
    }
    // A click anywhere on an open row opens its review; "Drawn from" says what kind of stratum.
    await actAs(page, info, 'reviewer1', language);
    await page.goto('/queue');
    await expect(page.locator('.queue-table tbody tr').first().locator('td.queue-why')).toContainText(language === 'en' ? /^[^:]+: \S/ : /^[^：]+：\S/);
    await page.locator('.queue-table tbody tr').first().locator('td.queue-person').click();
    await expect(page).toHaveURL(/\/review\/\d+$/);
    await expect(page.locator('section.criterion').first()).toBeVisible();
    await expectAccessible(page);
  });

  test(`reports say they are not available yet and are not in the navigation; coaching is (${language})`, async ({ page }, info) => {
    await actAs(page, info, 'lead1', language);
    const nav = page.getByRole('navigation', { name: L.nav.label });
    await expect(nav.getByRole('link', { name: L.nav.calls, exact: true })).toBeVisible();
    await expect(nav.getByRole('link', { name: L.nav.coaching })).toBeVisible();
    await expect(nav.getByRole('link', { name: L.nav.reports })).toHaveCount(0);
    await page.goto('/reports');
    await expect(page.getByRole('heading', { name: L.reports.unavailable_title })).toBeVisible();
    await expect(page.getByText(L.reports.unavailable_body)).toBeVisible();
    await expectAccessible(page);
  });

  test(`calibration statistics appear only where they mean something, and intervals only from enough calls (${language})`, async ({ page }, info) => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await actAs(page, info, 'lead1', language);
    // The demo's November session: revealed, three calls.
    await page.goto('/calibration/4');
    const statistics = page.locator('table.statistics');
    await expect(statistics).toBeVisible();
    const totals = statistics.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: L.calibration.total_scores, exact: true }) });
    // Exact agreement and κ count each distinct total as a category: not shown on totals.
    await expect(totals.locator('td').nth(1)).toContainText(L.calibration.undefined_not_at_level);
    await expect(totals).toContainText(L.calibration.undefined_interval_needs.replace('{{ min }}', '10'));
    // Three calls are too few for a criterion's interval: it says so instead of printing one.
    const first = statistics.locator('tbody tr').first();
    await expect(first.locator('td').last()).toContainText(L.calibration.undefined_interval_needs.replace('{{ min }}', '10'));
    await expect(first.locator('td').last()).not.toContainText(/\d\.\d{3}/);
    // Pooling every criterion of every call is enough for one.
    const overall = statistics.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: L.calibration.overall, exact: true }) });
    await expect(overall.locator('td').last()).toHaveText(/^-?\d\.\d{3} – -?\d\.\d{3}$/);
    // At 1366 px no table of the report hides its last columns.
    await expectNoSidewaysScroll(page);
    for (const wrap of await page.locator('.table-wrap').all()) {
      const [inner, outer] = await wrap.evaluate((el) => [el.scrollWidth, el.clientWidth]);
      expect(inner, 'a table wider than its card').toBeLessThanOrEqual(outer);
    }
    await expectAccessible(page);
  });

  test(`a sampling plan names its population in words (${language})`, async ({ page }, info) => {
    await actAs(page, info, 'lead1', language);
    const plan = plans.find((p) => p.spec.population.startsWith('team='))!;
    const team = teams.find((t) => `team=${t.id}` === plan.spec.population)!;
    await page.goto(`/sampling/${plan.id}`);
    const population = page.getByTestId('plan-population');
    // One colon per language: "Team: …", "团队：…".
    await expect(population).toHaveText(language === 'en' ? `${L.calls.team}: ${team.name.en}` : `${L.calls.team}：${team.name.zh}`);
    await expect(population).not.toContainText('=');
    await expectAccessible(page);
  });

  test(`a sampling preview says in words when a margin would mislead (${language})`, async ({ page }, info) => {
    await actAs(page, info, 'lead1', language);
    // A plan over a fixed window: its population does not move with today's date.
    const fixed = plans.find((p) => p.spec.population.includes('from='))!;
    await page.goto(`/sampling/${fixed.id}`);
    await page.getByRole('button', { name: L.sampling.preview, exact: true }).click();
    const panel = page.locator('.preview-panel');
    await expect(panel).toBeVisible();
    await expect(panel).not.toContainText(/± 0(\.0)?\s?%/);
    // Each agent's row reads its precision the way the domain words it.
    const rows = panel.locator('table').filter({ has: page.getByRole('columnheader', { name: L.sampling.col_margin }) }).locator('tbody tr');
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    const number = (text: string) => Number(text.replace(/[^0-9]/g, ''));
    for (let i = 0; i < count; i++) {
      const cells = rows.nth(i).locator('td');
      const [population, sample, margin] = [number(await cells.nth(1).innerText()), number(await cells.nth(2).innerText()), await cells.nth(3).innerText()];
      if (sample === 0) expect(margin).toBe('–');
      else if (sample < 3) expect(margin).toBe(L.sampling.too_few_for_rate);
      else if (sample >= population) expect(margin).toBe(L.sampling.whole_population);
      else expect(margin).toMatch(/^± \d+\.\d%$/);
    }
    await expectAccessible(page);
  });

  test(`a call without a recording offers no evidence marks; Submit & next opens my next open call; the evaluation leads back to my queue (${language})`, async ({ page }, info) => {
    test.setTimeout(120_000);
    // Each language its own reviewer (the shared server), on calls the recorded-call test never picks.
    const reviewer = language === 'en' ? 'reviewer2' : 'reviewer1';
    const call = unrecordedAssignments(reviewer).at(-1)!;
    await actAs(page, info, reviewer, language);
    await page.goto(`/review/${call.id}`);
    const criteria = page.locator('section.criterion');
    await expect(criteria.first()).toBeVisible();
    await expect(page.locator('.evidence').first()).toBeHidden();
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog')).toContainText('Ctrl+Shift+Enter');
    await expect(page.getByRole('dialog')).not.toContainText(L.shortcuts.evidence);
    await page.keyboard.press('Escape');
    const total = await criteria.count();
    for (let i = 0; i < total; i++) {
      const keys = await criteria.nth(i).locator('.answer-options kbd').allTextContents();
      if (await criteria.nth(i).locator('input[type=number]').count()) await page.keyboard.press('1');
      else if (keys.includes('Y')) await page.keyboard.press('y');
      else if (keys.includes('4')) await page.keyboard.press('4');
      else await page.keyboard.press(keys[0].toLowerCase());
    }
    // The last answer given, what is left is the word to the agent.
    await expect(page.locator('#review-feedback')).toBeFocused();
    // An answer can be taken back: the criterion is open again, the score provisional.
    const last = criteria.nth(total - 1);
    if (await last.getByTestId('clear-answer').count()) {
      await last.getByTestId('clear-answer').click();
      await expect(page.getByTestId('provisional')).toBeVisible();
      await expect(last.getByTestId('clear-answer')).toBeHidden();
      await last.locator('input[type=radio]').first().check();
    }
    await expect(page.getByTestId('provisional')).toHaveCount(0);
    await page.getByTestId('submit-next').click();
    await expect(page).not.toHaveURL(new RegExp(`/review/${call.id}$`));
    await expect(page).toHaveURL(/\/review\/\d+$|\/queue$/);
    // Its row in the Done view opens the evaluation, which leads back to the queue.
    await page.goto('/queue?show=done');
    const done = page.locator('.queue-table tbody tr', { hasText: call.customer_ref });
    // The Done line shows what the evaluation scored.
    await expect(done.getByTestId('queue-result')).toContainText(/\d+(\.\d)? ?%/);
    await done.locator('td.queue-person').click();
    await expect(page).toHaveURL(/\/evaluations\/\d+$/);
    const evaluation = page.url().split('/').pop();
    const back = page.getByRole('link', { name: L.review.back });
    await expect(back).toHaveAttribute('href', '/queue');
    await expectAccessible(page);
    // The call's page offers my evaluation on that scorecard, not a second one.
    await page.goto(`/calls/${call.id}`);
    await expect(page.getByTestId('open-my-evaluation')).toHaveAttribute('href', `/evaluations/${evaluation}`);
  });

  test(`an agent's feedback names each call and filters on a phone (${language})`, async ({ page }, info) => {
    await page.setViewportSize({ width: 360, height: 760 });
    await actAs(page, info, 'agent3', language);
    await page.goto('/me');
    const items = page.getByTestId('feedback-item');
    await expect(items.first()).toBeVisible();
    // The call as the agent remembers it, not an evaluation number.
    await expect(items.first().getByRole('link')).toHaveText(/ · .+ · C-\d+$/);
    await expect(items.first().getByRole('link')).not.toContainText('#');
    await expectNoSidewaysScroll(page);
    const all = await items.count();
    for (const [code, label] of [['failed', L.feedback.show_failed], ['to_acknowledge', L.feedback.show_to_acknowledge], ['unread', L.feedback.show_unread], ['open_to_dispute', L.feedback.show_open_to_dispute]] as const) {
      const button = page.getByTestId(`feedback-filter-${code}`);
      await button.click();
      await expect(button).toHaveAttribute('aria-pressed', 'true');
      const shown = items.locator('visible=true');
      const n = Number((await button.innerText()).match(/\((\d+)\)/)![1]);
      await expect(shown).toHaveCount(n);
      expect(await button.innerText()).toContain(label);
      if (code === 'failed') for (const item of await shown.all()) await expect(item.locator('.verdict')).toContainText(L.score.fail);
      if (code === 'to_acknowledge') for (const item of await shown.all()) await expect(item).toContainText(L.feedback.to_acknowledge);
      if (n === 0) await expect(page.getByText(L.feedback.none_in_view)).toBeVisible();
    }
    await page.getByTestId('feedback-filter-all').click();
    await expect(items.locator('visible=true')).toHaveCount(all);
    await expectAccessible(page);
  });
}
