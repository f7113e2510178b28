/**
 * Writes docs/images/simulation-dark.png and simulation-light.png: the panel for
 * kb924567-exposed with the KB924567 what-if on, in VS Code-like dark and light themes.
 *
 *   npm run build && npx tsc -p . && node out/test/webview/screenshots.js
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support';
import { chromiumAvailable, exampleMessage, HarnessServer, launchBrowser, PanelPage } from './harness';
import { DARK, LIGHT } from './themes';

async function main(): Promise<void> {
  if (!chromiumAvailable()) return;
  const server = new HarnessServer();
  await server.start();
  const browser = await launchBrowser();
  const folder = join(repoRoot, 'docs', 'images');
  mkdirSync(folder, { recursive: true });
  try {
    for (const [name, theme] of [
      ['dark', DARK],
      ['light', LIGHT],
    ] as const) {
      const panel = await PanelPage.open(browser, server, { theme, width: 1000, height: 1300 });
      await panel.post(exampleMessage('kb924567-exposed'));
      await panel.waitForResult();
      await panel.page.getByRole('checkbox', { name: /^EXCH01/ }).check();
      await panel.page.locator('.what-if-verdict').waitFor({ timeout: 60_000 });
      await panel.waitForResult();
      // Hover EXCH01's thread chart near the exhaustion so the readout shows values.
      const chart = panel.page.locator('.chart').first();
      const box = await chart.boundingBox();
      if (box) await panel.page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
      const path = join(folder, `simulation-${name}.png`);
      await panel.page.screenshot({ path, fullPage: false });
      console.log(`wrote ${path}`);
      await panel.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
