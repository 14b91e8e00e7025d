// Exercises done in the window as a student does them (issue 15): chosen on the start screen or
// from the list, answered in the panel, solved in the shell, run with Run exercise, helped by
// hints, and handed in; `netlab grade` on the handed-in files gives the verdicts the window
// showed. The answers come from each lab file's own solution (the answer key), so the spec
// follows the curriculum as it changes. Screenshots: test-results/exercise-*.png.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { parse } from 'yaml';
import { expect, runExercise, test } from './support/lab-test';

const ROOT = resolve(import.meta.dirname, '..');

interface Key {
  title: string;
  checks: { title: string }[];
  questions: { id: string; type: string; predict?: boolean }[];
  steps: { host: string; run: string }[];
  answers: Record<string, string | number>;
}

/** A built-in exercise's answer key: its questions and its solution's steps and answers. */
function answerKey(id: string): Key {
  const lab = parse(readFileSync(join(ROOT, 'resources/labs', `${id}.yaml`), 'utf8'));
  const e = lab.exercise;
  const solution = Array.isArray(e.solution) ? { steps: e.solution } : (e.solution ?? {});
  return {
    title: e.title,
    checks: e.checks,
    questions: e.questions ?? [],
    steps: solution.steps ?? [],
    answers: solution.answers ?? {},
  };
}

/** Types the answers the key gives for the questions `which` picks, as a student fills the fields. */
async function answer(page: Page, key: Key, which: (q: Key['questions'][number]) => boolean) {
  for (const q of key.questions.filter(which)) {
    const field = page.getByTestId(`question-${q.id}`);
    const value = String(key.answers[q.id]);
    if (q.type === 'choice') {
      await field.getByRole('combobox').selectOption(value);
    } else {
      await field.getByRole('textbox').fill(value);
      await field.getByRole('textbox').press('Enter');
    }
  }
}

/** Runs each solution step in its host's terminal. */
async function typeSteps(page: Page, key: Key) {
  await page.getByRole('tab', { name: 'Shell' }).click();
  for (const step of key.steps) {
    await page.getByRole('button', { name: step.host, exact: true }).click();
    const input = page.getByLabel(`Command for ${step.host}`);
    await input.fill(step.run);
    await input.press('Enter');
    await expect(page.getByTestId(`terminal-${step.host}`)).toContainText(`# ${step.run}`);
    await expect(page.getByTestId(`terminal-${step.host}`)).not.toContainText('busy');
  }
  await page.getByRole('tab', { name: 'Exercise' }).click();
}

async function handIn(page: Page, student: string, dir: string): Promise<string> {
  await page.getByLabel('Your name').fill(student);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Hand in', exact: true }).click(),
  ]);
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  await expect(page.getByText(`Saved ${download.suggestedFilename()}`)).toBeVisible();
  return file;
}

function grade(...paths: string[]): string {
  return execFileSync(process.execPath, [join(ROOT, 'bin/netlab.mjs'), 'grade', ...paths], {
    encoding: 'utf8',
  });
}

const checks = (page: Page) => page.getByTestId('checks').getByRole('listitem');

test('predict: the start screen, a prediction before the run, locked after it, graded by netlab grade', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(120_000);
  const key = answerKey('rmem-slow-reader');
  await page.goto(web.url);

  // A fresh window offers the exercises, each with what it teaches.
  const start = page.getByRole('region', { name: 'Start with an exercise' });
  await expect(start).toBeVisible();
  const card = start.getByTestId('start-rmem-slow-reader');
  await expect(card).toContainText(key.title);
  await expect(card).toContainText('predict');
  await page.screenshot({ path: 'test-results/exercise-start.png' });
  await card.click();
  await expect(page.getByRole('heading', { name: key.title })).toBeVisible();
  await expect(start).toHaveCount(0);

  // The instructions are Markdown: bold and code come out as such.
  const panel = page.getByRole('article');
  await expect(panel.locator('.instructions strong').first()).toBeVisible();
  await expect(panel.locator('.instructions code').first()).toBeVisible();

  // Before the run, the checks on the lab's state are pending, not failed.
  await expect(checks(page)).toHaveCount(key.checks.length);
  await expect(panel.locator('.checks li.pending')).not.toHaveCount(0);
  await expect(panel.locator('.checks li.fail')).toHaveCount(
    key.questions.filter((q) => !q.predict).length,
  );

  // The prediction, given before the run; a bad number is refused beside its field.
  const prediction = key.questions.find((q) => q.predict)!;
  const field = page.getByTestId(`question-${prediction.id}`).getByRole('textbox');
  await field.fill('lots');
  await field.press('Enter');
  await expect(page.getByTestId(`question-${prediction.id}`).getByRole('alert')).toContainText(
    'is not a number',
  );
  await answer(page, key, () => true);
  await expect(page.getByTestId(`question-${prediction.id}`).getByRole('alert')).toHaveCount(0);
  await typeSteps(page, key);

  await runExercise(page);
  const n = key.checks.length;
  await expect(page.getByTestId('checks-score')).toHaveText(`${n} of ${n} pass`);
  await expect(panel.locator('.checks li.pass')).toHaveCount(n);
  // Values carry their units: datagrams and bytes, with thousands separated.
  await expect(panel.locator('.checks')).toContainText(/[\d,]+ datagrams/);
  // Once run, the prediction is locked.
  await expect(field).toBeDisabled();
  await expect(page.getByTestId(`question-${prediction.id}`)).toContainText('locked');

  // The explanation comes; its link opens h1's shell with the command typed, not run.
  const why = page.getByRole('region', { name: 'Explanation' });
  await expect(why).toBeVisible();
  await page.screenshot({ path: 'test-results/exercise-predict-done.png' });
  const shellLink = why.locator('a[href^="netlab:shell"]').first();
  const target = new URLSearchParams((await shellLink.getAttribute('href'))!.split('?')[1]);
  const host = target.get('host')!;
  await shellLink.click();
  await expect(page.getByRole('tab', { name: 'Shell' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel(`Command for ${host}`)).toHaveValue(target.get('cmd')!);
  await page.getByRole('tab', { name: 'Exercise' }).click();

  const dir = mkdtempSync(join(tmpdir(), 'netlab-attempts-'));
  const file = await handIn(page, 'Ada Lovelace', dir);
  expect(file).toMatch(/ada-lovelace-rmem-slow-reader\.attempt\.yaml$/);
  const out = grade(file);
  expect(out).toContain(`${n}/${n} checks passed`);
  expect(out).toContain('agrees with the verdicts the window showed');

  // Reset: the lab as shipped, the prediction open again and the checks pending.
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(field).toBeEnabled();
  await expect(field).toHaveValue('');
  await expect(page.getByTestId('checks-score')).toHaveText(`0 of ${n} pass`);
  expect(errors).toEqual([]);
});

test('configure: fix the IRQ clash in the shell, run, hand in; netlab grade agrees', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(120_000);
  const key = answerKey('irq-clash');
  await page.goto(web.url);
  await page.getByRole('tab', { name: 'Exercise' }).click();
  await page.getByTestId('exercise-irq-clash').click();
  await expect(page.getByRole('heading', { name: key.title })).toBeVisible();

  // First as the lab ships: the run fails the checks.
  await runExercise(page);
  const n = key.checks.length;
  await expect(page.getByTestId('checks-score')).not.toHaveText(`${n} of ${n} pass`);
  await expect(page.getByTestId('exercise-irq-clash')).toContainText('tried');

  await answer(page, key, () => true);
  await typeSteps(page, key);
  await runExercise(page);
  await expect(page.getByTestId('checks-score')).toHaveText(`${n} of ${n} pass`);
  await expect(page.getByTestId('exercise-irq-clash')).toContainText('done');
  await page.screenshot({ path: 'test-results/exercise-configure-done.png' });

  const dir = mkdtempSync(join(tmpdir(), 'netlab-attempts-'));
  const file = await handIn(page, 'Grace', dir);
  const attempt = parse(readFileSync(file, 'utf8'));
  expect(attempt.journal.filter((e: { op: string }) => e.op === 'shell')).toEqual(
    key.steps.map((s) => expect.objectContaining({ op: 'shell', host: s.host, line: s.run })),
  );
  const out = grade(file);
  expect(out).toContain(`${n}/${n} checks passed`);
  expect(out).toContain('agrees with the verdicts the window showed');
  // A teacher grades the folder: one line per attempt.
  expect(grade(dir).trim()).toBe(`grace-irq-clash.attempt.yaml  ${n}/${n}  agrees`);
  expect(errors).toEqual([]);
});

test('diagnose: run, hints, answer in the panel; the explanation links open the views; progress stays', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(120_000);
  const key = answerKey('promisc-only-cpu');
  await page.goto(web.url);
  await page.getByRole('tab', { name: 'Exercise' }).click();
  await page.getByTestId('exercise-promisc-only-cpu').click();
  await expect(page.getByRole('heading', { name: key.title })).toBeVisible();

  await runExercise(page);

  // Hints one at a time (at least two), then the solution is offered.
  const hints = page.getByTestId('hints').getByRole('listitem');
  const total = Number(
    /of (\d+)/.exec(
      (await page.getByRole('button', { name: /^Show hint 1 of/ }).textContent()) ?? '',
    )![1],
  );
  expect(total).toBeGreaterThanOrEqual(2);
  for (let i = 1; i <= total; i++) {
    await expect(page.getByRole('button', { name: 'Show the solution' })).toHaveCount(0);
    await page.getByRole('button', { name: `Show hint ${i} of ${total}` }).click();
    await expect(hints).toHaveCount(i);
  }
  await expect(page.getByRole('button', { name: 'Show the solution' })).toBeVisible();

  await answer(page, key, () => true);
  const n = key.checks.length;
  await expect(page.getByTestId('checks-score')).toHaveText(`${n} of ${n} pass`);
  const why = page.getByRole('region', { name: 'Explanation' });
  await expect(why).toBeVisible();
  await page.screenshot({ path: 'test-results/exercise-diagnose-done.png' });

  // The explanation's links: the capture with its display filter, and the statistics.
  const captureLink = why.locator('a[href^="netlab:capture"]').first();
  const filter = new URLSearchParams((await captureLink.getAttribute('href'))!.split('?')[1]);
  await captureLink.click();
  await expect(page.getByRole('tab', { name: 'Capture' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Display filter')).toHaveValue(filter.get('filter')!);
  await page.getByRole('tab', { name: 'Exercise' }).click();
  await why.locator('a[href^="netlab:stats"]').first().click();
  await expect(page.getByRole('tab', { name: 'Statistics' })).toHaveAttribute(
    'aria-selected',
    'true',
  );

  // Progress is kept across a restart of the window; the hints shown come back with the lab.
  await page.reload();
  await page.getByRole('tab', { name: 'Exercise' }).click();
  await expect(page.getByTestId('exercise-promisc-only-cpu')).toContainText('done');
  await expect(page.getByTestId('exercise-napi-budget')).toContainText('new');
  await expect(page.getByTestId('hints').getByRole('listitem')).toHaveCount(total);
  expect(errors).toEqual([]);
});

test('a join in the window with SO_RCVBUF and a read rate: an application whose losses show in the sinks', async ({
  page,
  web,
  errors,
}) => {
  test.setTimeout(90_000);
  await page.goto(web.url);
  await page.getByRole('tab', { name: 'Exercise' }).click();
  await page.getByTestId('exercise-hash-collisions').click();
  await expect(
    page.getByRole('heading', { name: answerKey('hash-collisions').title }),
  ).toBeVisible();

  // h2 joins the flood's group as an application: port 5000, SO_RCVBUF 4096, 1000 reads a second.
  await page
    .getByRole('img', { name: /Topology/ })
    .getByRole('button', { name: 'h2 eth0' })
    .click();
  await page.getByLabel('Group to join').fill('239.1.1.24');
  await page.getByLabel('port').fill('5000');
  await page.getByLabel('SO_RCVBUF').fill('4096');
  await page.getByLabel('reads').fill('1000');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByTestId('groups')).toContainText('239.1.1.24');

  await page.getByRole('tab', { name: 'Exercise' }).click();
  await runExercise(page);
  await page.getByRole('tab', { name: 'Statistics' }).click();
  const row = page.getByTestId('sinks').getByRole('row').filter({ hasText: 'h2:239.1.1.24:5000' });
  await expect(row).toHaveCount(1);
  // 8192 bytes (4096 doubled) hold ten small datagrams: most of a 10000/s flood is lost.
  const lost = Number(
    ((await row.getByRole('cell').nth(2).textContent()) ?? '').replace(/\D/g, ''),
  );
  expect(lost).toBeGreaterThan(5000);
  await page.getByRole('tab', { name: 'Shell' }).click();
  await page.getByRole('button', { name: 'h2', exact: true }).click();
  const input = page.getByLabel('Command for h2');
  await input.fill('cat /proc/net/snmp');
  await input.press('Enter');
  await expect(page.getByTestId('terminal-h2')).toContainText(/Udp: \d+ \d+ \d+ \d+ [1-9]\d*/);
  expect(errors).toEqual([]);
});
