// The user-facing scenarios of issue 6, run in one workbench (one code-server, one browser) in
// this order: the two that edit documents come last, after the ones that read the exposed example.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from './lib/processes.mjs';
import {
  activeWebview,
  chooseCodeAction,
  dismissWidgets,
  errorSquigglesInFile,
  goToLine,
  hoverText,
  languageMode,
  openFile,
  problemsOf,
  readProblems,
  runCommand,
  suggestionLabels,
} from './lib/workbench.mjs';

export const EXPOSED = 'kb924567-exposed.runbook.yaml';
export const FIXED = 'kb924567-fixed.runbook.yaml';
/** A copy of the exposed example that the completion scenario may edit freely. */
export const COMPLETION_SCRATCH = 'completion-scratch.runbook.yaml';

const LANGUAGE_NAME = 'Exchange Runbook';
const QUICK_FIX_TITLE = 'Insert KB924567 install step';
// "EXCH01 runs out of store threads at …", but not "… never runs out of store threads".
const EXHAUSTION_SENTENCE = /(?<!never )runs out of store threads/;

/** 1-based line and column of the `EXCH01` value of `from:` in step wave1, found in the text. */
function wave1FromValue(text) {
  const lines = text.split(/\r?\n/);
  const step = lines.findIndex((line) => /^\s*-\s*id:\s*wave1\s*$/.test(line));
  assert.ok(step >= 0, 'step wave1 not found');
  for (let index = step + 1; index < lines.length && !/^\s*-\s/.test(lines[index]); index++) {
    const match = /^(\s*from:\s*)EXCH01\b/.exec(lines[index]);
    if (match) return { line: index + 1, column: match[1].length + 1 };
  }
  assert.fail('`from: EXCH01` not found in step wave1');
}

/** 1-based line and column where the value of the first `action: <name>` line starts. */
function actionValue(text, name) {
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((line) => new RegExp(`^\\s*action:\\s*${name}\\s*$`).test(line));
  assert.ok(index >= 0, `\`action: ${name}\` not found`);
  return { line: index + 1, column: lines[index].indexOf(name) + 1 };
}

/** Problems the panel lists for `file`, once `accept` likes them. */
function problemsWhere(page, file, accept, what) {
  return waitUntil(
    async (note) => {
      const problems = problemsOf(await readProblems(page), file);
      note(problems.map((problem) => problem.text));
      return accept(problems) ? problems : false;
    },
    { ms: 30_000, every: 500, what },
  );
}

const isExr001At = (position) => (problem) =>
  problem.code === 'EXR001' && problem.severity === 'error' && problem.line === position.line && problem.column === position.column;

export function scenarios({ workspace }) {
  const read = (name) => readFileSync(join(workspace, name), 'utf8');
  const exposedOriginal = read(EXPOSED);
  const exr001Position = wave1FromValue(exposedOriginal);

  return [
    {
      name: 'exposed-language-and-problems',
      title:
        `${EXPOSED}: language mode is "${LANGUAGE_NAME}", Problems lists EXR001 at Ln ` +
        `${exr001Position.line}, Col ${exr001Position.column}`,
      async run({ page }) {
        await openFile(page, EXPOSED);
        await waitUntil(
          async (note) => {
            const mode = await languageMode(page);
            note(`status bar language mode "${mode}"`);
            return mode === LANGUAGE_NAME;
          },
          { ms: 15_000, what: `language mode "${LANGUAGE_NAME}"` },
        );
        await problemsWhere(
          page,
          EXPOSED,
          (problems) => problems.some(isExr001At(exr001Position)),
          'EXR001 on `from: EXCH01` of wave1 in Problems',
        );
        // The editor draws it too (this also proves the squiggle check of fixed-no-errors can see one).
        await openFile(page, EXPOSED);
        const lineCount = exposedOriginal.split(/\r?\n/).length;
        await waitUntil(async () => (await errorSquigglesInFile(page, lineCount)) > 0, {
          ms: 10_000,
          what: 'an error squiggle in the editor',
        });
        // The CodeLens above wave1 follows the background simulation: "simulating…", then the prediction.
        await waitUntil(
          async (note) => {
            const lenses = await page.locator('.monaco-editor .codelens-decoration').allInnerTexts();
            note(`CodeLens: ${JSON.stringify(lenses)}`);
            return lenses.some((lens) => /Simulate/.test(lens) && /EXCH01: threads run out at \+1h\d+m/.test(lens));
          },
          { ms: 20_000, every: 500, what: 'the CodeLens prediction "EXCH01: threads run out at +1h…" above wave1' },
        );
      },
    },
    {
      name: 'hover-server-state',
      title: 'hovering EXCH01 in `from: EXCH01` shows its service pack and KB924567 state at that step',
      async run({ page }) {
        await openFile(page, EXPOSED);
        await goToLine(page, exr001Position.line, exr001Position.column + 2);
        // Point the mouse at the cursor, which now sits inside the server name.
        const cursor = await page.locator('.monaco-editor.focused .cursors-layer .cursor').first().boundingBox();
        assert.ok(cursor, 'editor cursor not found');
        await page.mouse.move(cursor.x + 2, cursor.y + cursor.height / 2);
        const text = await hoverText(page);
        assert.match(text, /EXCH01/, `hover text: ${text}`);
        assert.match(text, /SP2|Service pack/i, `hover text: ${text}`);
        assert.match(text, /KB924567/, `hover text: ${text}`);
      },
    },
    {
      name: 'completion-action',
      title: 'suggest after `action: ` in a step offers move-mailboxes',
      async run({ page, screenshot }) {
        await openFile(page, COMPLETION_SCRATCH);
        const value = actionValue(read(COMPLETION_SCRATCH), 'move-mailboxes');
        await goToLine(page, value.line, value.column);
        await page.keyboard.press('Shift+End');
        await page.keyboard.press('Delete');
        await page.keyboard.press('Control+Space');
        const labels = await suggestionLabels(page);
        await screenshot();
        assert.ok(labels.includes('move-mailboxes'), `suggestions: ${JSON.stringify(labels)}`);
        await dismissWidgets(page);
        await runCommand(page, 'File: Revert File');
      },
    },
    {
      name: 'simulate-webview',
      title: 'Simulate migration opens the webview: exhaustion sentence, drawn charts; the KB924567 what-if changes the verdict',
      async run({ page, screenshot }) {
        await openFile(page, EXPOSED);
        await runCommand(page, 'Exchange Runbook: Simulate migration');
        const webview = activeWebview(page);
        const outcome = await waitUntil(
          async () => {
            // A failing command shows a modal dialog instead of the webview: report it at once.
            const dialog = page.locator('.monaco-dialog-box');
            if (await dialog.isVisible()) return { dialog: (await dialog.innerText()).replace(/\s+/g, ' ').trim() };
            return (await webview.getByText(EXHAUSTION_SENTENCE).first().isVisible()) && { shown: true };
          },
          { ms: 30_000, what: `the simulation webview to show ${EXHAUSTION_SENTENCE}` },
        );
        assert.ok(!outcome.dialog, `the command failed: ${outcome.dialog}`);
        const charts = await waitUntil(
          async (note) => {
            const canvases = await webview.locator('canvas').evaluateAll(inkedPixelsPerCanvas);
            note(`inked pixels per canvas: ${JSON.stringify(canvases)}`);
            return canvases.some((inked) => inked > 50) ? canvases : false;
          },
          { ms: 15_000, what: 'a chart canvas with drawn pixels' },
        );
        assert.ok(charts.length > 0);
        await screenshot();
        await scrollIntoView(webview.locator('canvas').first());
        await screenshot('simulate-charts');
        await scrollIntoView(webview.getByText(EXHAUSTION_SENTENCE).first());

        const toggle = await hotfixWhatIfToggle(webview, 'EXCH01');
        await toggle.click({ timeout: 10_000 });
        await waitUntil(
          async () => {
            const text = await webview.locator('body').innerText();
            return /no exhaustion/i.test(text) || !EXHAUSTION_SENTENCE.test(text);
          },
          { ms: 20_000, what: 'the verdict to change after the KB924567 what-if ("no exhaustion", or the sentence gone)' },
        );
        await screenshot('simulate-what-if');
        await runCommand(page, 'View: Close All Editor Groups');
      },
    },
    {
      name: 'exr001-quick-fix',
      title: `Ctrl+. on the EXR001 line offers "${QUICK_FIX_TITLE}…"; applying it clears EXR001, adds the step, keeps comments`,
      async run({ page, screenshot }) {
        await openFile(page, EXPOSED);
        await problemsWhere(page, EXPOSED, (problems) => problems.some(isExr001At(exr001Position)), 'EXR001 before the fix');
        await openFile(page, EXPOSED);
        await goToLine(page, exr001Position.line, exr001Position.column);
        await page.keyboard.press('Control+.');
        await page
          .locator('.action-widget .monaco-list-row', { hasText: QUICK_FIX_TITLE })
          .first()
          .waitFor({ state: 'visible', timeout: 15_000 });
        await screenshot('exr001-quick-fix-menu');
        await chooseCodeAction(page, QUICK_FIX_TITLE);
        await page.keyboard.press('Control+S');
        const fixedText = await waitUntil(
          () => {
            const text = read(EXPOSED);
            return text !== exposedOriginal ? text : false;
          },
          { ms: 10_000, what: `${EXPOSED} to be saved with the fix` },
        );
        assert.match(fixedText, /action:\s*install-hotfix/);
        assert.match(fixedText, /hotfix:\s*KB924567/);
        assert.ok(fixedText.indexOf('install-hotfix') < fixedText.indexOf('move-mailboxes'), 'the hotfix step comes before the move');
        assertLinesKeptInOrder(exposedOriginal, fixedText);
        await problemsWhere(
          page,
          EXPOSED,
          (problems) => !problems.some((problem) => problem.code === 'EXR001'),
          'EXR001 to leave Problems after the fix',
        );
      },
    },
    {
      name: 'fixed-no-errors',
      title: `${FIXED}: no errors in Problems`,
      async run({ page }) {
        await openFile(page, FIXED);
        await waitUntil(async () => (await languageMode(page)) === LANGUAGE_NAME, { ms: 15_000, what: `language mode "${LANGUAGE_NAME}"` });
        // A clean file shows nothing, so give the linter (debounce 200 ms) time, then require the
        // panel to stay without errors for that file over a few reads.
        let cleanReads = 0;
        await waitUntil(
          async (note) => {
            const errors = problemsOf(await readProblems(page), FIXED).filter((problem) => problem.severity === 'error');
            note(errors.map((error) => error.text));
            cleanReads = errors.length === 0 ? cleanReads + 1 : 0;
            return cleanReads >= 6;
          },
          { ms: 20_000, every: 500, what: `${FIXED} to stay without errors in Problems` },
        );
        await openFile(page, FIXED);
        assert.equal(await errorSquigglesInFile(page, read(FIXED).split(/\r?\n/).length), 0, 'error squiggles in the fixed example');
      },
    },
  ];
}

/** Scrolls to an element of a page that may re-render it meanwhile (the webview redraws as the
 *  simulation streams in): retried, as the element found may be replaced before the scroll. */
function scrollIntoView(locator) {
  return waitUntil(() => locator.scrollIntoViewIfNeeded({ timeout: 2000 }).then(() => true), {
    ms: 10_000,
    what: 'an element to scroll to',
  });
}

/**
 * The what-if control that adds KB924567 to `server`: a checkbox (or switch) whose name says
 * both, or one named after the server inside a group that is about KB924567.
 */
async function hotfixWhatIfToggle(webview, server) {
  const named = (within, name) => within.getByRole('checkbox', { name }).or(within.getByRole('switch', { name }));
  const direct = named(webview, new RegExp(`KB924567[\\s\\S]*${server}|${server}[\\s\\S]*KB924567`));
  if ((await direct.count()) > 0) return direct.first();
  const group = webview
    .locator('fieldset, section, div')
    .filter({ hasText: 'KB924567' })
    .filter({ has: named(webview, new RegExp(server)) })
    .last();
  const inGroup = named(group, new RegExp(server)).first();
  await inGroup.waitFor({ state: 'attached', timeout: 10_000 }).catch(() => {
    throw new Error(`no what-if checkbox for KB924567 on ${server} in the webview`);
  });
  return inGroup;
}

/** Every line of the original (comments included) is still there, in the same order. */
function assertLinesKeptInOrder(before, after) {
  const afterLines = after.split(/\r?\n/);
  let cursor = 0;
  for (const line of before.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const found = afterLines.indexOf(line, cursor);
    assert.ok(found >= 0, `line lost or moved by the fix: ${JSON.stringify(line)}`);
    cursor = found + 1;
  }
}

/** Runs in the webview: per canvas, how many sampled pixels differ from its top-left pixel. */
function inkedPixelsPerCanvas(canvases) {
  return canvases.map((canvas) => {
    const context = canvas.getContext('2d');
    if (!context || canvas.width === 0 || canvas.height === 0) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    for (let offset = 0; offset < data.length; offset += 4 * 7) {
      if (data[offset] !== data[0] || data[offset + 1] !== data[1] || data[offset + 2] !== data[2] || data[offset + 3] !== data[3]) inked++;
    }
    return inked;
  });
}
