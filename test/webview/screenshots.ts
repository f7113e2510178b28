/**
 * Writes docs/images/simulation-dark.png and simulation-light.png: the panel for
 * kb924567-exposed with the KB924567 what-if on, in VS Code-like dark and light themes.
 *
 *   npm run build && npx tsc -p . && node out/test/webview/screenshots.js
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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
    // For looking at, not for the docs: the panel at 300 px (labels that must not overlap) and the
    // exported PNG (title, verdict, legend, charts), in test-results/webview/.
    const looks = join(repoRoot, 'test-results', 'webview');
    mkdirSync(looks, { recursive: true });
    const narrow = await PanelPage.open(browser, server, { theme: DARK, width: 300, height: 1400 });
    await narrow.post(exampleMessage('kb924567-exposed'));
    await narrow.waitForResult();
    const threads = narrow.page.getByRole('spinbutton', { name: 'Store task threads on EXCH01' });
    await threads.fill('60');
    await threads.press('Enter');
    await narrow.page.locator('.what-if-verdict:not(:has-text("simulating"))').waitFor({ timeout: 60_000 });
    await narrow.waitForResult();
    await narrow.page.locator('.server').first().scrollIntoViewIfNeeded();
    await narrow.page.screenshot({ path: join(looks, 'simulation-300px.png'), fullPage: true });
    await narrow.page.getByRole('button', { name: 'PNG', exact: true }).click();
    const exported = (await narrow.posted()).find((message) => message.type === 'export');
    if (exported && exported.type === 'export') writeFileSync(join(looks, 'export.png'), Buffer.from(exported.content, 'base64'));
    console.log(`wrote ${looks}/simulation-300px.png and export.png`);
    await narrow.close();
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
