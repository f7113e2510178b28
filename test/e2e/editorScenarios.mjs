// The editor scenarios of issue 17 ("what an administrator meets in the first ten minutes"):
// typing a runbook from an empty file with real keystrokes, "New runbook", the typo quick fix
// and the hover's first line. They run after scenarios.mjs's, in the same workbench.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from './lib/processes.mjs';
import {
  chooseCodeAction,
  dismissWidgets,
  goToLine,
  hoverText,
  languageMode,
  openFile,
  errorSquigglesInFile,
  runCommand,
} from './lib/workbench.mjs';
import { COMPLETION_SCRATCH } from './scenarios.mjs';

/** An empty runbook file the typing scenario fills. */
export const TYPED = 'typed.runbook.yaml';

/** What the typing scenario must end with: every indentation space came from the editor. */
const TYPED_TEXT = [
  'runbook: 1',
  'name: Typed wave',
  'servers:',
  '  - name: EXCH01',
  '    exchange: 2003',
  '    servicePack: 2',
  '  - name: EXCH02',
  '    exchange: 2003',
  '    servicePack: 2',
  'steps:',
  '  - id: wave1',
  '    action: move-mailboxes',
  '    from: EXCH01',
  '    to: EXCH02',
  '    mailboxes:',
  '      count: 10',
  '      averageSizeMB: 100',
  '    concurrency: 4',
].join('\n');

const suggestWidget = (page) => page.locator('.editor-group-container.active .suggest-widget.visible');

/** Waits until the suggest widget's focused row is `label` (it pops up by itself: no Ctrl+Space). */
async function focusedSuggestion(page, label) {
  return waitUntil(
    async (note) => {
      const focused = await suggestWidget(page).locator('.monaco-list-row.focused .label-name').allInnerTexts();
      note(`focused suggestion: ${JSON.stringify(focused)}`);
      return focused[0] === label;
    },
    { ms: 10_000, every: 100, what: `the suggestion "${label}" to pop up while typing` },
  );
}

export function editorScenarios({ workspace }) {
  const read = (name) => readFileSync(join(workspace, name), 'utf8');
  writeFileSync(join(workspace, TYPED), '');

  /** Saves the active editor and returns the file's text once `accept` likes what is on disk. */
  async function savedText(page, name, accept) {
    await page.keyboard.press('Control+S');
    return waitUntil(
      (note) => {
        const text = read(name);
        note(JSON.stringify(text));
        return accept(text) ? text : false;
      },
      { ms: 10_000, every: 200, what: `${name} saved` },
    );
  }

  return [
    {
      name: 'type-runbook-from-empty-file',
      title: `${TYPED}: typed from an empty file with Enter, Tab, Backspace and completion, no indentation space typed by hand`,
      async run({ page, screenshot }) {
        await openFile(page, TYPED);
        const type = (text) => page.keyboard.type(text, { delay: 15 });
        const press = async (key, times = 1) => {
          for (let i = 0; i < times; i++) await page.keyboard.press(key);
        };
        // Each line: the text typed (never a leading space), then the keys that move to the next line.
        await type('runbook: 1');
        await press('Enter');
        await type('name: Typed wave');
        await press('Enter');
        await type('servers:');
        await press('Enter'); // after `key:` the editor indents
        await type('- name: EXCH01');
        await press('Enter'); // after `- key: value` it lines up under the key
        await type('exchange: 2003');
        await press('Enter');
        await type('servicePack: 2');
        await press('Enter');
        await press('Backspace'); // one indentation step back (tab size 2)
        await type('- name: EXCH02');
        await press('Enter');
        await type('exchange: 2003');
        await press('Enter');
        await type('servicePack: 2');
        await press('Enter');
        await press('Backspace', 2);
        await type('steps:');
        await press('Enter');
        await type('- id: wave1');
        await press('Enter');
        await type('action: m');
        await focusedSuggestion(page, 'move-mailboxes');
        await screenshot('type-runbook-completion');
        await press('Enter'); // accepts the suggestion
        await suggestWidget(page).waitFor({ state: 'hidden', timeout: 5000 });
        await press('Enter');
        await type('from: EXCH01');
        await press('Enter');
        await type('to: EXCH02');
        await press('Enter');
        await type('mailboxes:');
        await press('Enter');
        await type('count: 10');
        await press('Enter');
        await type('averageS');
        await focusedSuggestion(page, 'averageSizeMB');
        await press('Tab'); // Tab accepts it too, colon and space included
        await type('100');
        await press('Enter');
        await press('Backspace');
        await type('conc');
        await focusedSuggestion(page, 'concurrency');
        await press('Tab');
        await type('4');
        await dismissWidgets(page);
        const indentation = (await page.locator('[id="status.editor.indentation"]').innerText({ timeout: 5000 })).trim();
        assert.equal(indentation, 'Spaces: 2', 'the status bar indentation');
        const text = await savedText(page, TYPED, (saved) => saved.trim() !== '');
        assert.equal(text, TYPED_TEXT);
        // Clean: no error squiggle, and a prediction (only a runbook without blocking errors gets one).
        await waitUntil(async () => (await errorSquigglesInFile(page, TYPED_TEXT.split('\n').length)) === 0, {
          ms: 20_000,
          every: 500,
          what: `${TYPED} without error squiggles`,
        });
        await waitUntil(
          async () =>
            (await page.locator('.monaco-editor .codelens-decoration').allInnerTexts()).some((lens) => /no exhaustion$/.test(lens.trim())),
          { ms: 20_000, every: 500, what: 'the prediction above wave1' },
        );
        await openFile(page, TYPED);
        await screenshot();
      },
    },
    {
      name: 'typo-quick-fix',
      title: `${TYPED}: a typo (\`concurency\`) keeps the last prediction marked stale; Ctrl+. renames it and a fresh prediction comes back`,
      async run({ page, screenshot }) {
        // Runs right after the typing scenario, in the editor it left open with its first prediction:
        // a file opened again shows VS Code's cached CodeLens until the server's own first prediction
        // arrives, and a typo typed before that rightly finds no prediction to keep.
        await openFile(page, TYPED);
        const lineNumber = TYPED_TEXT.split('\n').findIndex((line) => line.includes('concurrency')) + 1;
        // `    concurrency`: the first `r` is column 10.
        await goToLine(page, lineNumber, 10);
        await waitUntil(
          async (note) => {
            const lenses = await page.locator('.monaco-editor .codelens-decoration').allInnerTexts();
            note(`CodeLens: ${JSON.stringify(lenses)}`);
            return lenses.some((lens) => /no exhaustion$/.test(lens.trim()));
          },
          { ms: 30_000, every: 500, what: 'the first prediction' },
        );
        await page.keyboard.press('Delete');
        await waitUntil(
          async (note) => {
            const lenses = await page.locator('.monaco-editor .codelens-decoration').allInnerTexts();
            note(`CodeLens: ${JSON.stringify(lenses)}`);
            return lenses.some((lens) => lens.includes('(stale: 2 errors block the simulation: '));
          },
          { ms: 20_000, every: 500, what: 'the last prediction, marked stale' },
        );
        await screenshot('typo-stale-prediction');
        await goToLine(page, lineNumber, 6);
        await page.keyboard.press('Control+.');
        const title = 'Rename `concurency` to `concurrency`';
        await page.locator('.action-widget .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 15_000 });
        await screenshot('typo-quick-fix-menu');
        await chooseCodeAction(page, title);
        const text = await savedText(page, TYPED, (saved) => saved.includes('concurrency: 4'));
        assert.equal(text, TYPED_TEXT);
        // Problems lists the whole workspace (the background check), so read the fix's effect in the editor:
        // a fresh prediction, no longer stale.
        await waitUntil(
          async (note) => {
            const lenses = await page.locator('.monaco-editor .codelens-decoration').allInnerTexts();
            note(`CodeLens: ${JSON.stringify(lenses)}`);
            return lenses.some((lens) => /no exhaustion$/.test(lens.trim()));
          },
          { ms: 20_000, every: 500, what: 'a fresh prediction after the fix' },
        );
        await screenshot();
      },
    },
    {
      name: 'new-runbook-command',
      title: 'with no runbook open, F1 "New Runbook" opens an untitled runbook with the commented skeleton',
      async run({ page, screenshot }) {
        await runCommand(page, 'View: Close All Editor Groups');
        await runCommand(page, 'Exchange Runbook: New Runbook');
        await waitUntil(async () => (await languageMode(page)) === 'Exchange Runbook', {
          ms: 10_000,
          what: 'the new editor in "Exchange Runbook" mode',
        });
        const lines = await waitUntil(
          async (note) => {
            const text = (await page.locator('.editor-group-container.active .monaco-editor .view-lines').innerText()).replace(
              /\u00a0/g,
              ' ',
            );
            note(text.slice(0, 200));
            return /^# An Exchange mailbox-migration runbook/.test(text) && /action: move-mailboxes/.test(text) ? text : false;
          },
          { ms: 10_000, what: 'the skeleton in the new editor' },
        );
        assert.match(lines, /\nrunbook: 1\n/);
        await screenshot();
        await runCommand(page, 'View: Revert and Close Editor');
      },
    },
    {
      name: 'hover-first-line',
      title: 'hovering `from: EXCH01` shows the state card first; hovering a step id shows its start, end and duration',
      async run({ page, screenshot }) {
        await openFile(page, COMPLETION_SCRATCH);
        const lines = read(COMPLETION_SCRATCH).split(/\r?\n/);
        const hoverAt = async (line, column) => {
          await dismissWidgets(page);
          await page.mouse.move(5, 5);
          await goToLine(page, line, column);
          const cursor = await page.locator('.monaco-editor.focused .cursors-layer .cursor').first().boundingBox();
          assert.ok(cursor, 'editor cursor not found');
          await page.mouse.move(cursor.x + 2, cursor.y + cursor.height / 2);
          return waitUntil(
            async (note) => {
              const text = await hoverText(page);
              note(text);
              return text && !/^Loading/.test(text) ? text : false;
            },
            { ms: 10_000, what: 'the hover text' },
          );
        };
        const fromLine = lines.findIndex((line) => /^\s*from: EXCH01\b/.test(line));
        const from = await hoverAt(fromLine + 1, lines[fromLine].indexOf('EXCH01') + 3);
        await screenshot();
        assert.equal(from.split('\n')[0].trim(), 'EXCH01 at step wave1', `hover text: ${from}`);
        assert.match(from, /EXR001: .*Rule page/, `hover text: ${from}`);
        const idLine = lines.findIndex((line) => /^\s*- id: wave1\b/.test(line));
        const id = await hoverAt(idLine + 1, lines[idLine].indexOf('wave1') + 3);
        await screenshot('hover-step-id');
        assert.equal(id.split('\n')[0].trim(), 'Step wave1', `hover text: ${id}`);
        assert.match(id, /Starts: .*\n.*Ends: .*\n.*Takes: /, `hover text: ${id}`);
        await dismissWidgets(page);
        await page.mouse.move(5, 5);
        await runCommand(page, 'View: Close All Editor Groups');
      },
    },
  ];
}
