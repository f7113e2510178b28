/**
 * How long after the runbook message the panel's first chart is drawn, for each shipped example
 * (target: under 300 ms). Opens the built webview in headless Chromium through the test harness,
 * posts the message as soon as the page says it is ready (as the extension does) and reads the
 * page's own performance marks. Prints figures; asserts nothing.
 *
 *   npm run build && npx tsc -p . && node out/bench/webview-first-chart.js [rounds]
 */
import { chromiumAvailable, exampleMessage, HarnessServer, launchBrowser, PanelPage } from '../test/webview/harness';

const EXAMPLES = ['kb924567-exposed', 'kb924567-fixed', 'gateway-out-threads-trap', 'multi-wave'];

async function main(): Promise<void> {
  if (!chromiumAvailable()) return;
  const rounds = Math.max(1, Number(process.argv[2]) || 5);
  const server = new HarnessServer();
  await server.start();
  const browser = await launchBrowser();
  try {
    console.log(`first chart after the runbook message, ${rounds} fresh panels per example (ms)`);
    for (const example of EXAMPLES) {
      const message = exampleMessage(example);
      const times: number[] = [];
      const simulations: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const panel = await PanelPage.open(browser, server);
        await panel.waitForPosted('ready');
        await panel.post(message);
        await panel.page.waitForFunction(() => performance.getEntriesByName('exrunbook:first-chart').length > 0, undefined, {
          timeout: 60_000,
        });
        times.push(
          await panel.page.evaluate(() => {
            const received = performance.getEntriesByName('exrunbook:runbook-received').at(-1)!.startTime;
            return performance.getEntriesByName('exrunbook:first-chart').at(-1)!.startTime - received;
          }),
        );
        await panel.waitForResult();
        simulations.push(Number(/in (\d+) ms/.exec(await panel.text('.status'))?.[1] ?? NaN));
        await panel.close();
      }
      const sorted = [...times].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)];
      console.log(
        `${example.padEnd(26)} median ${median.toFixed(0).padStart(4)}  max ${sorted[sorted.length - 1].toFixed(0).padStart(4)}  ` +
          `(simulation in the worker: median ` +
          `${[...simulations].sort((a, b) => a - b)[Math.floor(simulations.length / 2)]} ms)  ` +
          `${median < 300 ? 'under' : 'OVER'} 300 ms`,
      );
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
