import { Locator, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { actAs, expect, test, en, zh, expectAccessible, expectNoSidewaysScroll, isStatic, signIn, useLanguage } from './helpers';

// Both modes serve the same generated demo centre: its files say whose call is whose.
const fixtures = path.resolve(__dirname, '../../dist/fixtures');
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8'));
const calls: { id: number; agent_id: number; recording: string | null; customer_ref: string }[] = read('calls.json');
const users: { id: number; username: string }[] = read('users.json');
const sampling: { assignments: { call_id: number; reviewer_id: number; status: string }[] } = read('sampling.json');
const reviews: { drafts: { call_id: number; reviewer_id: number }[] } = read('reviews.json');

const userId = (username: string) => users.find((u) => u.username === username)!.id;

/** A recorded call waiting in the reviewer's queue with no draft yet, and its agent. */
function recordedAssignment(reviewer: string) {
  const id = userId(reviewer);
  const open = sampling.assignments.filter((a) => a.reviewer_id === id && a.status === 'open');
  const hit = open.find((a) => calls.find((c) => c.id === a.call_id)?.recording && !reviews.drafts.some((d) => d.reviewer_id === id && d.call_id === a.call_id));
  if (!hit) throw new Error(`${reviewer} has no recorded call without a draft in the demo queue`);
  const call = calls.find((c) => c.id === hit.call_id)!;
  return { call, agent: users.find((u) => u.id === call.agent_id)!.username };
}

/** Answers the current criterion with its shortcut key only (the first one "no", to dispute later). */
async function answerByKey(page: Page, criterion: Locator, first: boolean) {
  const keys = await criterion.locator('.answer-options kbd').allTextContents();
  let key: string;
  if (await criterion.locator('input[type=number]').count()) key = '1';
  else if (first && keys.includes('N')) key = 'n';
  else if (keys.includes('Y')) key = 'y';
  else if (keys.includes('4')) key = '4';
  else key = keys[0].toLowerCase();
  await page.keyboard.press(key);
}

const answered = (criterion: Locator) => criterion.locator('input[type=radio]:checked, input[type=checkbox]:checked, input[type=number]:not([value=""])');

for (const language of ['en', 'zh-CN'] as const) {
  const L = language === 'en' ? en : zh;
  // Each language works its own reviewer's queue: the server's database is shared.
  const reviewer = language === 'en' ? 'reviewer2' : 'reviewer1';

  // The English run is also the PostgreSQL smoke test: sign-in, a review submitted, a dispute.
  test(`a reviewer scores by keyboard through a reload and an outage; the agent disputes; a lead rules (${language})`, { tag: language === 'en' ? ['@postgres'] : [] }, async ({ page, context }, info) => {
    test.setTimeout(240_000);
    const { call, agent } = recordedAssignment(reviewer);
    await actAs(page, info, reviewer, language);
    await page.goto('/queue?show=all');
    const row = page.locator('tr', { hasText: call.customer_ref });
    await row.getByTestId('score-call').click();
    await expect(page).toHaveURL(new RegExp(`/review/${call.id}$`));
    const criteria = page.locator('section.criterion');
    await expect(criteria.first()).toBeVisible();
    const total = await criteria.count();
    await expect(page.getByTestId('sync')).toHaveText(L.review.nothing_saved);
    // The card's sections head their criteria with their weight, as the evaluation shows them.
    await expect(page.getByTestId('section-heading').first()).toContainText(L.score.col_weight);
    // Nothing answered: no score yet, and no verdict on a score of nothing.
    await expect(page.getByTestId('score')).toHaveText('—');
    await expect(page.locator('.score-card .verdict')).toHaveCount(0);
    await expectAccessible(page);

    // The shortcut list names the review's keys.
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog')).toContainText('Ctrl+Enter');
    await page.keyboard.press('Escape');

    // Half the card by keyboard, then two evidence marks and a comment on the current criterion.
    const half = Math.floor(total / 2);
    for (let i = 0; i < half; i++) await answerByKey(page, criteria.nth(i), i === 0);
    // Beside the live score, each criterion shows what the engine made of its answer.
    await expect(criteria.first().getByTestId('outcome')).toHaveText(/\d/);
    await expect(criteria.nth(half + 1).getByTestId('outcome')).toHaveText(L.score.rule_unanswered);
    // With criteria still open the score is provisional, and says so.
    await expect(page.getByTestId('score')).toHaveText(/\d%$/);
    await expect(page.getByTestId('provisional')).toHaveText(L.score.provisional);
    await page.keyboard.press('l');
    await page.keyboard.press('l');
    await page.keyboard.press('e');
    await page.keyboard.press('l');
    await page.keyboard.press('e');
    const marked = criteria.nth(half);
    await expect(marked.locator('.evidence-tag')).toHaveText([/0:10/, /0:15/]);
    await page.keyboard.press('c');
    await page.keyboard.type('Checked the booking reference twice');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('sync')).toHaveText(new RegExp(L.review.saved_at.split('{{')[0].trim()));

    // A reload loses nothing.
    await page.reload();
    await expect(criteria.first()).toBeVisible();
    for (let i = 0; i < half; i++) await expect(answered(criteria.nth(i))).toHaveCount(1);
    await expect(marked.locator('.evidence-tag')).toHaveCount(2);
    await expect(marked.locator('textarea')).toHaveValue('Checked the booking reference twice');

    // Offline: scoring goes on, kept on this device; back online, it syncs.
    await context.setOffline(true);
    await marked.focus();
    for (let i = half; i < total; i++) await answerByKey(page, criteria.nth(i), false);
    // The last answer moves focus to the feedback by itself (issue #21); F is not needed.
    await expect(page.locator('#review-feedback')).toBeFocused();
    await page.keyboard.type('Friendly and accurate. Confirm the refund date before closing.');
    await page.keyboard.press('Escape');
    if (!isStatic(info)) {
      await expect(page.getByTestId('sync')).toHaveText(L.review.offline);
      // Back with edits the server has not acknowledged asks first; declining stays.
      page.once('dialog', (dialog) => dialog.dismiss());
      await page.evaluate(() => history.back());
      await page.waitForTimeout(500);
      await expect(page).toHaveURL(new RegExp(`/review/${call.id}$`));
      await expect(criteria.first()).toBeVisible();
    }
    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect(page.getByTestId('sync')).toHaveText(new RegExp(L.review.saved_at.split('{{')[0].trim()));

    await page.keyboard.press('Control+Enter');
    await expect(page).toHaveURL(/\/evaluations\/\d+$/);
    const evaluationUrl = new URL(page.url()).pathname;
    await expect(page.getByTestId('history').locator('tbody tr')).toHaveCount(1);
    await expect(page.getByTestId('feedback')).toHaveText('Friendly and accurate. Confirm the refund date before closing.');
    await expectAccessible(page);

    // The agent finds it at once, unread; opening it reads it; they acknowledge and dispute one
    // point, on a phone: nothing scrolls sideways.
    await page.setViewportSize({ width: 360, height: 760 });
    await actAs(page, info, agent, language);
    await page.goto('/me');
    await expect(page.getByTestId('feedback-item').first()).toBeVisible();
    await expectNoSidewaysScroll(page);
    const newest = page.getByTestId('feedback-item').first();
    await expect(newest).toContainText(L.feedback.new);
    await expect(newest.getByRole('link')).toHaveAttribute('href', evaluationUrl);
    await expectAccessible(page);
    await newest.getByRole('link').click();
    await expect(page.getByTestId('acknowledged')).toHaveText(L.evaluation.read_not_acknowledged);
    await expectNoSidewaysScroll(page);
    // The agent hears their own call from each evidence moment the reviewer marked.
    await page.locator('.evidence-play', { hasText: '0:10' }).click();
    await expect.poll(() => page.locator('audio').evaluate((a: HTMLAudioElement) => a.currentTime)).toBeGreaterThanOrEqual(9.5);
    // Each criterion's points are on screen beside it, not in a column off to the right.
    const points = page.locator('.explain tr.explain-criterion td.num').first();
    const box = await points.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 360, `points at ${JSON.stringify(box)}`).toBeTruthy();
    await page.getByTestId('acknowledge').click();
    await expect(page.getByTestId('acknowledge')).toHaveCount(0);
    // The form opens on request only, says it is open, and an empty dispute cannot be sent.
    await expect(page.locator('#dispute-form')).toBeHidden();
    await expect(page.getByTestId('open-dispute')).toHaveAttribute('aria-expanded', 'false');
    await page.getByTestId('open-dispute').click();
    await expect(page.getByTestId('open-dispute')).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByTestId('send-dispute')).toBeDisabled();
    await expect(page.getByTestId('dispute-why-not')).toHaveText(L.dispute.choose_first);
    // Point 1 is the first criterion (point 0 is the evaluation as a whole).
    await page.getByTestId('dispute-point-1').check();
    await page.locator('#propose-1').selectOption('0');
    await expect(page.getByTestId('send-dispute')).toBeDisabled();
    await expect(page.getByTestId('dispute-why-not')).toContainText(L.dispute.say_why.split('“')[0]);
    await page.locator('#dispute-comment-1').fill('I greeted the customer with the standard phrase at 0:02.');
    await expect(page.getByTestId('dispute-why-not')).toHaveText('');
    await expectNoSidewaysScroll(page);
    // Cancel closes the form and hands focus back to the button that opened it.
    await page.getByRole('button', { name: L.common.cancel, exact: true }).click();
    await expect(page.locator('#dispute-form')).toBeHidden();
    await expect(page.getByTestId('open-dispute')).toBeFocused();
    await expect(page.getByTestId('open-dispute')).toHaveAttribute('aria-expanded', 'false');
    await page.getByTestId('open-dispute').click();
    await page.getByTestId('send-dispute').click();
    await expect(page.getByTestId('dispute')).toContainText(L.dispute.status_open);
    await expectAccessible(page);
    const before = await page.getByTestId('score').textContent();

    // A lead (not the reviewer) accepts it: the answer changes, the engine rescores, history shows both.
    await page.setViewportSize({ width: 1280, height: 720 });
    await actAs(page, info, 'lead1', language);
    await page.goto('/disputes');
    await expect(page.getByTestId('disputes').locator(`a[href="${evaluationUrl}"]`)).toBeVisible();
    await expectAccessible(page);
    await page.getByTestId('disputes').locator(`a[href="${evaluationUrl}"]`).click();
    // No verdict is chosen for the lead.
    await expect(page.getByTestId('verdict-0-accepted')).not.toBeChecked();
    await expect(page.getByTestId('send-ruling')).toBeDisabled();
    await page.getByTestId('verdict-0-accepted').check();
    await page.locator('textarea[id^="ruling-reason-"]').fill('The greeting is at 0:02 as the agent says.');
    await page.getByTestId('send-ruling').click();
    await expect(page.getByTestId('dispute')).toContainText(L.dispute.status_accepted);
    await expect(page.getByTestId('history').locator('tbody tr')).toHaveCount(2);
    await expect(page.getByTestId('history').locator('tbody tr').nth(1)).toContainText(L.history.dispute_ruled);
    await expect(page.getByTestId('score')).not.toHaveText(before!);
    await expectAccessible(page);
    // A lead may change a submitted score, but only with a reason; the history keeps it.
    await page.getByTestId('open-amend').click();
    await page.getByTestId('save-amend').click();
    await expect(page.getByRole('alert').filter({ hasText: L.error.invalid_input })).toBeVisible();
    await page.locator('#amend-reason').fill('Rescored after the team calibration');
    await page.getByTestId('save-amend').click();
    await expect(page.getByTestId('history').locator('tbody tr')).toHaveCount(3);
    await expect(page.getByTestId('history').locator('tbody tr').nth(2)).toContainText('Rescored after the team calibration');

    // The reviewer sees the outcome on their evaluation too.
    await actAs(page, info, reviewer, language);
    await page.goto(evaluationUrl);
    await expect(page.getByTestId('dispute')).toContainText(L.dispute.status_accepted);
  });
}

test('two tabs editing one draft: neither loses its work, both versions are offered', async ({ context }, info) => {
  test.setTimeout(120_000);
  const { call } = recordedAssignment('reviewer3');
  const first = await context.newPage();
  await signIn(first, info, 'reviewer3');
  await useLanguage(first, 'en');
  await first.goto(`/review/${call.id}`);
  const second = await context.newPage();
  await second.goto(`/review/${call.id}`);
  for (const tab of [first, second]) await expect(tab.locator('section.criterion').first()).toBeVisible();

  await first.keyboard.press('y');
  await expect(first.getByTestId('sync')).toHaveText(/Draft saved/);
  // The second tab started before that save: its own answer is refused, not written over it.
  await second.keyboard.press('n');
  const conflict = second.getByTestId('conflict');
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText(en.preview.yes);
  await expect(conflict).toContainText(en.preview.no);
  await expectAccessible(second);
  await conflict.getByRole('button', { name: en.review.keep_mine }).click();
  await expect(second.getByTestId('sync')).toHaveText(/Draft saved/);

  // The first tab's next edit meets the second's save: it is offered both and takes the saved one.
  await first.keyboard.press('4');
  await expect(first.getByTestId('conflict')).toBeVisible();
  await first.getByTestId('conflict').getByRole('button', { name: en.review.take_theirs }).click();
  await expect(first.locator('section.criterion').first().locator('input[type=radio]:checked')).toHaveCount(1);
  await expect(first.locator('section.criterion').first().locator('label.chosen')).toContainText(en.preview.no);
});

// A reviewer has one evaluation of a call per scorecard (issue #19): a second submission is
// refused, and the workspace says so and links to the call's evaluations.
for (const language of ['en', 'zh-CN'] as const) {
  const L = language === 'en' ? en : zh;
  test(`a second evaluation of a call on the same scorecard is refused, with a way to the first (${language})`, async ({ page }, info) => {
    test.setTimeout(120_000);
    const reviewer = 'reviewer3';
    const evaluations: { call_id: number; reviewer_id: number; scorecard_version_id: number }[] = read('evaluations.json');
    const library: { versions: { id: number; scorecard_id: number }[] } = read('scorecards.json');
    const onFirstCard = (version: number) => library.versions.find((v) => v.id === version)?.scorecard_id === 1;
    const done = evaluations.find((e) => e.reviewer_id === userId(reviewer) && onFirstCard(e.scorecard_version_id));
    if (!done) throw new Error(`${reviewer} has no evaluation on the first scorecard in the demo`);
    await actAs(page, info, reviewer, language);
    await page.goto(`/review/${done.call_id}`);
    const criteria = page.locator('section.criterion');
    await expect(criteria.first()).toBeVisible();
    const total = await criteria.count();
    for (let i = 0; i < total; i++) await answerByKey(page, criteria.nth(i), false);
    await page.keyboard.press('Control+Enter');
    await expect(page.locator('.submit-message')).toHaveText(L.error.already_evaluated);
    const link = page.getByRole('link', { name: L.review.open_evaluations });
    await expect(link).toHaveAttribute('href', `/calls/${done.call_id}`);
    await expectAccessible(page);
    await link.click();
    await expect(page).toHaveURL(new RegExp(`/calls/${done.call_id}$`));
  });
}
