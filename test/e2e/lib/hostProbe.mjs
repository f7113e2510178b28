// The e2e host probe (test/e2e/hostProbe): a tiny extension, installed beside the VSIX under test
// and never shipped, whose command answers at once in its status bar item. `pingHost` times a round
// trip through the extension host from the page: the key press that runs the command (a keybinding,
// so no palette or panel is drawn) to the status bar showing the answer.
/* global document, window, MutationObserver -- the functions given to page.evaluate run in the page */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The probe's keybinding (test/e2e/hostProbe/package.json), as playwright presses it. */
const PING_KEY = 'Control+Alt+Shift+F12';

/** Packages test/e2e/hostProbe into `outDir` and returns the VSIX's path (a few KB, about a second). */
export async function packageHostProbe({ repoRoot, outDir }) {
  const vsix = join(outDir, 'exrunbook-e2e-host-probe.vsix');
  await execFileAsync(
    join(repoRoot, 'node_modules/.bin/vsce'),
    ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '-o', vsix],
    { cwd: join(repoRoot, 'test/e2e/hostProbe'), timeout: 60_000 },
  );
  return vsix;
}

/** Waits until the probe has activated (its status bar item shows). */
export async function waitForHostProbe(page) {
  await page.locator('.part.statusbar', { hasText: /probe \d+/ }).waitFor({ state: 'attached', timeout: 30_000 });
}

/**
 * Runs the probe's command once and resolves with { roundTrip, toHost } in milliseconds: from the
 * key press reaching the page to the status bar showing the answer, and from the key press to the
 * host's clock when it answered (the same machine's clock, so a rough split of the round trip).
 */
export async function pingHost(page, timeoutMs = 30_000) {
  await page.evaluate(() => {
    const bar = document.querySelector('.part.statusbar');
    const before = /probe (\d+)/.exec(bar?.textContent ?? '');
    const probe = { expected: `probe ${Number(before?.[1] ?? 0) + 1} `, sent: 0, answered: 0, text: '' };
    window.__exrHostProbe = probe;
    // Capture on the window: before the workbench's own keydown handler turns the key into the command.
    const onKey = (event) => {
      if (event.key !== 'F12' || probe.sent) return;
      probe.sent = performance.now();
      window.removeEventListener('keydown', onKey, true);
    };
    window.addEventListener('keydown', onKey, true);
    const observer = new MutationObserver(() => {
      const text = bar.textContent ?? '';
      const at = text.indexOf(probe.expected);
      if (at < 0) return;
      probe.answered = performance.now();
      probe.text = text.slice(at);
      observer.disconnect();
    });
    observer.observe(bar, { subtree: true, childList: true, characterData: true });
  });
  await page.keyboard.press(PING_KEY);
  const handle = await page.waitForFunction(
    () => {
      const probe = window.__exrHostProbe;
      if (!probe?.answered) return false;
      const hostTime = Number(/^probe \d+ (\d+)/.exec(probe.text)?.[1]);
      return { roundTrip: probe.answered - probe.sent, toHost: hostTime - (performance.timeOrigin + probe.sent) };
    },
    undefined,
    { timeout: timeoutMs, polling: 20 },
  );
  return handle.jsonValue();
}

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
