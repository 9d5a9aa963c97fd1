import { Locator, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { actAs, expect, test, en, zh, expectAccessible, isStatic } from './helpers';

// Both modes serve the same generated demo centre: its files say who is who and what is open.
const fixtures = path.resolve(__dirname, '../../dist/fixtures');
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8'));
const calls: { id: number; recording: string | null; duration_s: number }[] = read('calls.json');
const users: { id: number; username: string; display_name: string }[] = read('users.json');
const calibration: { sessions: { id: number; title: { en: string; zh: string }; call_ids: number[]; participants: number[]; revealed_at: string | null; consensus: unknown }[] } = read('calibration.json');

const userId = (username: string) => users.find((u) => u.username === username)!.id;

/** Answers the current criterion with its shortcut key; `dissent` says "no" where the others say "yes". */
async function answerByKey(page: Page, criterion: Locator, dissent: boolean) {
  const keys = await criterion.locator('.answer-options kbd').allTextContents();
  let key: string;
  if (await criterion.locator('input[type=number]').count()) key = dissent ? '2' : '4';
  else if (dissent && keys.includes('N')) key = 'n';
  else if (keys.includes('Y')) key = 'y';
  else if (keys.includes('4')) key = dissent ? '3' : '4';
  else key = keys[0].toLowerCase();
  await page.keyboard.press(key);
}

/** Scores the session's only call in the review workspace, by keyboard, and submits. */
async function scoreInWorkspace(page: Page, session: number, dissent: boolean, L: typeof en) {
  await page.goto(`/calibration/${session}`);
  await page.getByRole('link', { name: L.calibration.score_call }).click();
  await expect(page).toHaveURL(new RegExp(`/review/\\d+\\?calibration=${session}$`));
  await expect(page.getByRole('note').filter({ hasText: L.calibration.workspace_notice })).toBeVisible();
  // A calibration score goes to no agent: there is no feedback to write.
  await expect(page.locator('#review-feedback')).toHaveCount(0);
  const criteria = page.locator('section.criterion');
  await expect(criteria.first()).toBeVisible();
  const total = await criteria.count();
  for (let i = 0; i < total; i++) await answerByKey(page, criteria.nth(i), dissent && i < 3);
  await page.keyboard.press('Control+Enter');
  await expect(page).toHaveURL(new RegExp(`/calibration/${session}$`));
  await expect(page.getByText(new RegExp(L.calibration.scored.split('{{')[0].trim())).first()).toBeVisible();
}

for (const language of ['en', 'zh-CN'] as const) {
  const L = language === 'en' ? en : zh;

  // The English run is also the PostgreSQL smoke test of a calibration revealed.
  test(`a lead runs a blind calibration: three reviewers and an expert score, nothing shows before the reveal, then the report and the consensus (${language})`, { tag: language === 'en' ? ['@postgres'] : [] }, async ({ page }, info) => {
    test.setTimeout(300_000);
    const title = `Blind e2e ${language} ${info.project.name}`;
    // A recorded call no demo session uses, one per language.
    const call = calls.filter((c) => c.recording && !calibration.sessions.some((s) => s.call_ids.includes(c.id)))[language === 'en' ? 0 : 1];
    // reviewer4 is left out: another test changes that account's password on the shared server.
    const scorers = ['reviewer1', 'reviewer2', 'reviewer3'];

    // The lead sets it up.
    await actAs(page, info, 'lead1', language);
    await page.goto('/calibration');
    // A demo session's title in the reader's language alone, not both at once.
    const demoTitle = calibration.sessions[0].title;
    await expect(page.getByRole('link', { name: language === 'en' ? demoTitle.en : demoTitle.zh, exact: true })).toBeVisible();
    await page.getByRole('button', { name: L.calibration.new }).click();
    await page.locator('#calibration-title').fill(title);
    await page.locator('#calibration-calls').fill(`${call.id}`);
    // Too few participants is refused beside the field, and nothing is lost.
    await page.locator(`#calibration-participant-${userId(scorers[0])}`).check();
    await page.getByRole('button', { name: L.calibration.create }).click();
    await expect(page.locator('.field-error').first()).toBeVisible();
    await expect(page.locator('#calibration-title')).toHaveValue(title);
    for (const s of scorers.slice(1)) await page.locator(`#calibration-participant-${userId(s)}`).check();
    await page.locator('#calibration-expert').selectOption(String(userId('lead2')));
    await expect(page.locator('#calibration-visibility-blind')).toBeChecked();
    await expectAccessible(page);
    await page.getByRole('button', { name: L.calibration.create }).click();
    await expect(page).toHaveURL(/\/calibration\/\d+$/);
    const session = Number(new URL(page.url()).pathname.split('/').pop());
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(page.getByText(L.calibration.blind_notice)).toBeVisible();
    await expectAccessible(page);

    // Each scorer finds it in their queue and scores in the workspace; reviewer3 dissents.
    for (const [i, who] of [...scorers, 'lead2'].entries()) {
      await actAs(page, info, who, language);
      if (i === 0) {
        await page.goto('/queue');
        await expect(page.locator('.calibration-waiting').getByRole('link', { name: title })).toBeVisible();
      }
      await scoreInWorkspace(page, session, who === 'reviewer3', L);
      // Blind: a scorer sees their own score and nobody else's, on the page and through the API.
      await expect(page.locator('table.matrix')).toHaveCount(0);
      if (!isStatic(info)) {
        const answer = await (await page.request.get(`/api/calibration/${session}`)).json();
        expect(answer.scores.map((s: { user_id: number }) => s.user_id)).toEqual([userId(who)]);
        expect(answer.report).toBeNull();
      }
    }

    // The lead sees who has scored, but no answer, until revealing.
    await actAs(page, info, 'lead1', language);
    await page.goto(`/calibration/${session}`);
    await expect(page.getByText(L.calibration.complete)).toHaveCount(4);
    await expect(page.locator('table.matrix')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: L.calibration.statistics_title })).toHaveCount(0);
    if (!isStatic(info)) {
      const answer = await (await page.request.get(`/api/calibration/${session}`)).json();
      expect(answer.scores).toEqual([]);
      expect(answer.report).toBeNull();
    }
    await page.getByRole('button', { name: L.calibration.reveal }).click();
    await expect(page.getByText(L.calibration.status_revealed).first()).toBeVisible();
    const matrix = page.locator('table.matrix');
    await expect(matrix).toHaveCount(1);
    // Reviewer3 said "no" where the calibrator said "yes": highlighted as a deviation.
    await expect(matrix.locator('td.deviates').first()).toBeVisible();
    await expect(page.getByRole('heading', { name: L.calibration.statistics_title })).toBeVisible();
    await expect(page.locator('table.statistics tbody tr').last()).toContainText(L.calibration.total_scores);
    await expect(page.locator('table.statistics')).toContainText(L.calibration.level_nominal);
    await expect(page.getByRole('heading', { name: L.calibration.alignment_title })).toBeVisible();
    await expect(page.getByText(L.calibration.flagged).first()).toBeVisible();
    await expectAccessible(page);

    // The consensus starts from the calibrator's answers; recording it closes the session.
    await page.locator('#consensus-notes').fill('Greeting: the standard phrase, word for word.');
    await page.getByRole('button', { name: L.calibration.record_consensus }).click();
    await expect(page.getByText(L.calibration.status_agreed).first()).toBeVisible();
    await expect(page.locator('.consensus-notes')).toHaveText('Greeting: the standard phrase, word for word.');
    await expect(page.locator('.consensus-note')).toContainText(users.find((u) => u.username === 'lead1')!.display_name);

    // The report downloads as CSV and prints without the app around it.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: L.calibration.download_csv }).click()]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(download.suggestedFilename()).toBe(`calibration-${session}.csv`);
    expect(csv).toContain(title);
    expect(csv).toContain(L.calibration.alpha);
    expect(csv).toContain('Greeting: the standard phrase, word for word.');
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
    await page.getByRole('button', { name: L.calibration.print }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('nav').first()).toBeHidden();
    await expect(page.getByRole('button', { name: L.calibration.print })).toBeHidden();
    await expect(matrix).toBeVisible();
    await page.emulateMedia({ media: 'screen' });

    // Trends: the lead reads every scorer, a reviewer only themselves.
    await page.goto('/calibration/history');
    // Reviewers 1 to 4 from the demo's sessions and this one; the calibrator is the reference, not a row.
    await expect(page.locator('table tbody tr')).toHaveCount(4);
    await expect(page.getByRole('link', { name: title })).toBeVisible();
    await expectAccessible(page);
    await actAs(page, info, 'reviewer3', language);
    await page.goto('/calibration/history');
    await expect(page.locator('table tbody tr')).toHaveCount(1);
    await expect(page.locator('table tbody tr th')).toHaveText(users.find((u) => u.username === 'reviewer3')!.display_name);
  });
}

test('the demo ships calibration history and a blind session waiting for reviewer1', async ({ page }, info) => {
  const open = calibration.sessions.find((s) => !s.revealed_at && s.participants.includes(userId('reviewer1')))!;
  expect(calibration.sessions.filter((s) => s.consensus).length).toBeGreaterThanOrEqual(3);
  await actAs(page, info, 'reviewer1', 'en');
  await page.goto('/queue');
  await expect(page.locator('.calibration-waiting').getByRole('link', { name: open.title.en, exact: true })).toBeVisible();
  await page.goto('/calibration');
  await expect(page.getByRole('link', { name: open.title.en, exact: true })).toBeVisible();
  await page.goto(`/calibration/${open.id}`);
  await expect(page.getByRole('link', { name: en.calibration.score_call })).toHaveCount(3);
  await expect(page.locator('table.matrix')).toHaveCount(0);
  await expectAccessible(page);
  // A revealed session with a consensus: the report, every statistic explained, no NaN.
  const agreed = calibration.sessions.find((s) => s.consensus && s.participants.includes(userId('reviewer1')))!;
  await page.goto(`/calibration/${agreed.id}`);
  await expect(page.locator('table.matrix')).toHaveCount(3);
  await expect(page.locator('table.statistics')).not.toContainText('NaN');
  await expect(page.locator('.consensus-notes')).toBeVisible();
  await expectAccessible(page);
  await page.goto('/calibration/history');
  await expect(page.locator('table tbody tr')).toHaveCount(1);
  await expect(page.locator('.trend-chart polyline')).toHaveCount(1);
});
