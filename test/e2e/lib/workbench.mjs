// Driving the VS Code workbench (as served by code-server) the way a user does: keyboard
// shortcuts, the command palette, Quick Open, and reading what the workbench shows in its DOM.
import { waitUntil } from './processes.mjs';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

const quickInput = (page) => page.locator('.quick-input-widget');
/** The quick input's text box (its list rows may hold inputs of their own). */
const quickInputBox = (page) => quickInput(page).locator('.quick-input-box input');

/** Waits for the workbench shell and its status bar. */
export async function waitForWorkbench(page) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 30_000 });
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 30_000 });
}

export async function dismissWidgets(page) {
  for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
}

/** Types into the open quick input and accepts the row whose label contains `rowText`. */
async function pickFromQuickInput(page, text, rowText) {
  const input = quickInputBox(page);
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
  const row = quickInput(page).locator('.monaco-list-row', { hasText: rowText }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
  await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Runs a command from the F1 palette by its full title ("Category: Title"). */
export async function runCommand(page, title) {
  await dismissWidgets(page);
  await page.keyboard.press('F1');
  await pickFromQuickInput(page, `>${title}`, title);
}

/** The text of the output view in the panel (the lines it renders: the end of the channel, which it follows). */
export async function outputText(page) {
  // The editor draws spaces as no-break spaces.
  return (await page.locator('.part.panel .view-lines').first().innerText({ timeout: 10_000 })).replace(/\u00a0/g, ' ');
}

/** Opens a workspace file with Quick Open and waits for its editor tab to be active. */
export async function openFile(page, fileName) {
  await dismissWidgets(page);
  await page.keyboard.press('Control+P');
  await pickFromQuickInput(page, fileName, fileName);
  await page.locator('.editor-group-container.active .tab.active', { hasText: fileName }).waitFor({ state: 'visible', timeout: 10_000 });
  await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ state: 'visible', timeout: 10_000 });
}

/** Moves the cursor of the active editor to a 1-based line and column (Go to Line, Ctrl+G). */
export async function goToLine(page, line, column = 1) {
  await page.keyboard.press('Control+G');
  const input = quickInputBox(page);
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
  await waitUntil(async () => (await cursorPosition(page)) === `Ln ${line}, Col ${column}`, {
    ms: 5000,
    what: `the cursor at Ln ${line}, Col ${column}`,
  });
}

/** "Ln 27, Col 11" from the status bar. */
export async function cursorPosition(page) {
  const text = await page.locator('[id="status.editor.selection"]').innerText({ timeout: 5000 });
  return text.trim();
}

/** The language mode shown in the status bar ("Exchange Runbook"). */
export async function languageMode(page) {
  return (await page.locator('[id="status.editor.mode"]').innerText({ timeout: 10_000 })).trim();
}

/** Opens the Problems panel (if it is not showing) without toggling it shut. */
export async function showProblems(page) {
  const panel = page.locator('.markers-panel');
  if (await panel.isVisible()) return panel;
  await runCommand(page, 'View: Focus Problems');
  await panel.waitFor({ state: 'visible', timeout: 10_000 });
  return panel;
}

/**
 * What the Problems panel lists, grouped by file:
 * [{ file, problems: [{ severity: 'error'|'warning'|'info', code, line, column, message, text }] }].
 * (The panel renders only the rows in view; a handful of example files fit.)
 */
export async function readProblems(page) {
  const panel = await showProblems(page);
  const rows = await panel.locator('.monaco-list-row').evaluateAll((elements) =>
    elements.map((row) => {
      const text = (selector) => row.querySelector(selector)?.textContent?.trim() ?? '';
      const icon = row.querySelector('.marker-icon');
      return {
        index: Number(row.getAttribute('data-index') ?? '0'),
        level: Number(row.getAttribute('aria-level') ?? '0'),
        file: text('.resource-label-container .label-name'),
        severity: ['error', 'warning', 'info'].find((name) => icon?.classList.contains(name)) ?? '',
        code: text('.marker-code'),
        position: text('.marker-line'),
        message: text('.marker-message'),
      };
    }),
  );
  rows.sort((a, b) => a.index - b.index);
  const groups = [];
  for (const row of rows) {
    if (row.level === 1) {
      groups.push({ file: row.file, problems: [] });
      continue;
    }
    const position = /Ln (\d+), Col (\d+)/.exec(row.position);
    groups.at(-1)?.problems.push({
      severity: row.severity,
      code: row.code,
      line: position ? Number(position[1]) : undefined,
      column: position ? Number(position[2]) : undefined,
      message: row.message,
      text: `${row.severity} ${row.code} ${row.position} ${row.message}`,
    });
  }
  return groups;
}

export function problemsOf(groups, fileName) {
  return groups.find((group) => group.file === fileName)?.problems ?? [];
}

/** How many error squiggles the active editor draws in the lines it shows now. */
export function visibleErrorSquiggles(page) {
  return page.locator('.editor-group-container.active .monaco-editor .squiggly-error').count();
}

/** Error squiggles seen while scrolling the active editor through all `lineCount` lines. */
export async function errorSquigglesInFile(page, lineCount) {
  let seen = 0;
  for (let line = 1; line <= lineCount; line += 10) {
    await goToLine(page, line);
    seen += await visibleErrorSquiggles(page);
  }
  await goToLine(page, lineCount);
  return seen + (await visibleErrorSquiggles(page));
}

/** Picks the code action whose title contains `title` from the open Ctrl+. menu, by keyboard. */
export async function chooseCodeAction(page, title) {
  const menu = page.locator('.action-widget');
  await menu.locator('.monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 15_000 });
  const rows = await menu.locator('.monaco-list-row').count();
  for (let step = 0; step <= rows; step++) {
    const focused = (await menu.locator('.monaco-list-row.focused').allInnerTexts()).join(' ');
    if (focused.includes(title)) {
      await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden', timeout: 10_000 });
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`could not focus the code action "${title}" in the menu`);
}

/**
 * The text of the hover providers' parts of the hover widget once it shows one; the parts that
 * repeat diagnostics under the mouse (`.marker`) are left out, so they cannot pass for a hover.
 */
export async function hoverText(page) {
  const parts = page.locator('.monaco-hover:not(.hidden) .markdown-hover');
  await parts.first().waitFor({ state: 'visible', timeout: 10_000 });
  return (await parts.allInnerTexts()).join('\n').trim();
}

/** The labels of the suggest widget's rows once it is open. */
export async function suggestionLabels(page) {
  const widget = page.locator('.suggest-widget.visible');
  await widget.waitFor({ state: 'visible', timeout: 10_000 });
  await waitUntil(async () => (await widget.locator('.monaco-list-row').count()) > 0, { ms: 10_000, what: 'suggestions' });
  return widget.locator('.monaco-list-row .label-name').allInnerTexts();
}

/** The DOM of the active webview's own page (webviews are an iframe holding an iframe). */
export function activeWebview(page) {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}
