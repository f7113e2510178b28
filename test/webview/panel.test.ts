import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { contentSecurityPolicy } from '../../src/extension/html';
import type { WebviewToHost } from '../../src/protocol/panel';
import { readExample } from '../support';
import { chromiumAvailable, exampleMessage, HarnessServer, launchBrowser, PanelPage, runbookMessageFor } from './harness';
import { LIGHT } from './themes';

const EXHAUSTION = /runs out of store threads at/;

describe('simulation webview in Chromium', function () {
  let browser: Browser;
  const server = new HarnessServer();
  let panel: PanelPage | undefined;

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    await server.start();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server.stop();
  });

  afterEach(async () => {
    if (panel) assert.deepEqual(panel.pageErrors, [], 'the page threw');
    await panel?.close();
    panel = undefined;
  });

  it('says when and why EXCH01 runs out of threads for kb924567-exposed, and draws the charts', async () => {
    panel = await PanelPage.open(browser, server);
    await panel.post(exampleMessage('kb924567-exposed'));
    await panel.waitForResult();
    const verdicts = await panel.text('.verdicts');
    assert.match(
      verdicts,
      /EXCH01 runs out of store threads at \d\d:\d\d UTC, .* into wave1: \d+ of 40 threads are held by transit-mail flushes/,
    );
    // The run's seed and event count are details, not part of the headline.
    assert.doesNotMatch(await panel.text('.status'), /seed|events/);
    assert.match(await panel.text('.details'), /Seed 1, [\d,]+ events/);
    assert.match(verdicts, /EXCH02 never runs out of store threads/);
    assert.equal(await panel.page.locator('h2', { hasText: 'EXCH01' }).count(), 1);
    const ink = await panel.chartInk();
    assert.equal(ink.length, 4, 'two charts per server');
    for (const pixels of ink) assert.ok(pixels > 1000, `a chart canvas is (nearly) blank: ${ink.join(', ')}`);
    const table = await panel.text('.server table.summary');
    assert.match(table, /Store task threads\s+40/);
    assert.match(table, /Transit-mail flushes registered\s+[1-9]/);
  });

  it('shows no exhaustion for kb924567-fixed', async () => {
    panel = await PanelPage.open(browser, server);
    await panel.post(exampleMessage('kb924567-fixed'));
    await panel.waitForResult();
    const text = await panel.text();
    assert.doesNotMatch(text, EXHAUSTION);
    assert.match(text, /EXCH01 never runs out of store threads/);
  });

  it('re-simulates with KB924567 when the what-if box is ticked, and says what it buys', async () => {
    panel = await PanelPage.open(browser, server);
    await panel.post(exampleMessage('kb924567-exposed'));
    await panel.waitForResult();
    assert.equal(await panel.page.locator('.what-if-verdict').count(), 0);
    // A real checkbox: focus it and press Space, as a keyboard user would.
    await panel.page.getByRole('checkbox', { name: /^EXCH01/ }).focus();
    await panel.page.keyboard.press('Space');
    // The verdict says "simulating…" until the what-if run finishes; wait for its answer.
    const verdict = panel.page.locator('.what-if-verdict', { hasNotText: /simulating/ });
    await verdict.waitFor({ timeout: 50_000 });
    assert.match(await verdict.innerText(), /With KB924567 on EXCH01: no exhaustion/);
    // The original run is still shown beside the what-if.
    assert.match(await panel.text('.verdicts'), EXHAUSTION);
    assert.match(await panel.text('.server thead'), /As written\s+What-if/);

    await panel.page.getByRole('button', { name: 'Insert hotfix step' }).click();
    const posted = (await panel.posted()).filter((message) => message.type === 'apply');
    assert.deepEqual(posted, [
      { type: 'apply', documentUri: 'file:///work/kb924567-exposed.runbook.yaml', change: { kind: 'hotfix', server: 'EXCH01' } },
    ]);

    await panel.page.getByRole('checkbox', { name: /^EXCH01/ }).uncheck();
    await verdict.waitFor({ state: 'detached' });
  });

  it('drops the what-if verdict while a what-if field is invalid, and runs it again once it is fixed', async () => {
    panel = await PanelPage.open(browser, server);
    await panel.post(exampleMessage('kb924567-exposed'));
    await panel.waitForResult();
    const threads = panel.page.getByRole('spinbutton', { name: 'Store task threads on EXCH01' });
    await threads.fill('60');
    await threads.press('Enter');
    const verdict = panel.page.locator('.what-if-verdict', { hasNotText: /simulating/ });
    await verdict.waitFor({ timeout: 50_000 });
    assert.match(await verdict.innerText(), /With 60 store threads on EXCH01:/);

    await threads.fill('-5');
    await threads.press('Enter');
    await panel.page.locator('.what-if-verdict.invalid').waitFor({ timeout: 10_000 });
    const verdicts = await panel.text('.verdicts');
    assert.match(verdicts, /The what-if is not simulated: Store task threads on EXCH01 must be a whole number from 1 to [\d,]+, not −5\./);
    assert.doesNotMatch(verdicts, /With 60 store threads/, 'the last valid what-if is not shown as if it were the one on screen');
    assert.doesNotMatch(await panel.text('.server thead'), /What-if/);
    assert.equal(await threads.getAttribute('aria-invalid'), 'true');

    await threads.fill('50');
    await threads.press('Enter');
    await panel.page
      .locator('.what-if-verdict:not(.invalid)', { hasText: /With 50 store threads on EXCH01:/ })
      .waitFor({ timeout: 50_000 });
    assert.equal(await panel.page.locator('.what-if-verdict.invalid').count(), 0);
  });

  it('hides "undo it with Ctrl+Z" once a later version of the runbook arrives', async () => {
    panel = await PanelPage.open(browser, server);
    await panel.post(exampleMessage('kb924567-exposed', { documentVersion: 3 }));
    await panel.waitForResult();
    await panel.post({ type: 'notice', level: 'info', message: 'Inserted the step. Undo it there with Ctrl+Z.', documentVersion: 4 });
    await panel.post(exampleMessage('kb924567-exposed', { documentVersion: 4 }));
    assert.ok(await panel.page.locator('.notice').isVisible(), 'the version the edit made keeps the notice');
    await panel.post(exampleMessage('kb924567-exposed', { documentVersion: 5 }));
    await panel.page.locator('.notice').waitFor({ state: 'hidden', timeout: 5_000 });
  });

  it('shows progress while a run goes on, and a new runbook cancels the old run', async () => {
    panel = await PanelPage.open(browser, server);
    await panel.post(exampleMessage('multi-wave'));
    await panel.page.locator('progress').waitFor({ state: 'visible', timeout: 20_000 });
    await panel.post(exampleMessage('kb924567-fixed'));
    await panel.waitForResult();
    assert.match(await panel.text('h1'), /with KB924567/);
    assert.match(await panel.text('.verdicts'), /EXCH01 never runs out of store threads/);
    // The replaced run never comes back: multi-wave's EXCH03 does not appear.
    await panel.page.waitForTimeout(1500);
    assert.equal(await panel.page.locator('h2', { hasText: 'EXCH03' }).count(), 0);
    assert.ok(await panel.page.locator('progress').isHidden());
  });

  it('draws the result so far while a run goes on, then gives the same charts the final data (no new canvas)', async () => {
    panel = await PanelPage.open(browser, server);
    // Twice the mailboxes of multi-wave: a run long enough to stream several results so far.
    const text = readExample('multi-wave.runbook.yaml').replace(/count: (\d+)/g, (_, count) => `count: ${Number(count) * 2}`);
    await panel.post(runbookMessageFor(text, 'long.runbook.yaml'));
    // A chart drawn while the progress bar still shows: a result so far.
    await panel.page.waitForFunction(
      () => document.querySelector('.chart canvas') !== null && !document.querySelector<HTMLProgressElement>('progress')!.hidden,
      undefined,
      { timeout: 30_000 },
    );
    const partialInk = await panel.chartInk();
    await panel.page.evaluate(() =>
      document.querySelectorAll('.chart canvas').forEach((canvas, i) => canvas.setAttribute('data-probe', `${i}`)),
    );
    await panel.waitForResult();
    const probes = await panel.page.evaluate(() =>
      Array.from(document.querySelectorAll('.chart canvas'), (canvas) => canvas.getAttribute('data-probe')),
    );
    assert.deepEqual(
      probes,
      ['0', '1', '2', '3', '4', '5'],
      'the canvases drawn for the partial result are the ones showing the final one',
    );
    assert.notDeepEqual(await panel.chartInk(), partialInk, 'the final result is drawn on them');
    assert.match(await panel.text('.verdicts'), /EXCH03 runs out of store threads/);
  });

  it('redraws the charts in the new colours when the theme changes', async () => {
    panel = await PanelPage.open(browser, server);
    await panel.post(exampleMessage('kb924567-exposed'));
    await panel.waitForResult();
    const background = () => panel!.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const poolLineColour = () =>
      panel!.page.evaluate(() => {
        // The thread-pool line runs along the top of EXCH01's thread chart at 40: sample it mid-plot.
        const canvas = document.querySelector<HTMLCanvasElement>('.chart canvas')!;
        const context = canvas.getContext('2d')!;
        const x = Math.round(canvas.width * 0.6);
        for (let y = 0; y < canvas.height; y++) {
          const [r, g, b, a] = context.getImageData(x, y, 1, 1).data;
          if (a > 200 && Math.abs(r - g) < 8 && Math.abs(g - b) < 8 && (r > 180 || r < 80)) return [r, g, b];
        }
        return null;
      });
    const darkBackground = await background();
    const darkLine = await poolLineColour();
    await panel.applyTheme(LIGHT);
    await panel.page.waitForFunction((before) => getComputedStyle(document.body).backgroundColor !== before, darkBackground);
    const lightLine = await poolLineColour();
    assert.ok(darkLine && darkLine[0] > 180, `a light pool line on the dark theme: ${darkLine}`);
    assert.ok(lightLine && lightLine[0] < 80, `a dark pool line on the light theme: ${lightLine}`);
  });

  it('keeps the what-if through a reload (vscode.setState) and asks the host for the runbook again', async () => {
    panel = await PanelPage.open(browser, server);
    await panel.post(exampleMessage('kb924567-exposed'));
    await panel.waitForResult();
    await panel.page.getByLabel('Mailboxes at once').fill('2');
    await panel.page.getByLabel('Mailboxes at once').press('Enter');
    await panel.page.locator('.what-if-verdict').waitFor({ timeout: 50_000 });
    await panel.page.reload();
    await panel.waitForPosted('ready');
    await panel.page.locator('.what-if-verdict').waitFor({ timeout: 50_000 });
    assert.equal(await panel.page.getByLabel('Mailboxes at once').inputValue(), '2');
    assert.match(await panel.text('.what-if-verdict'), /^With move concurrency 2:/);
  });

  it('survives a crash of the simulation worker: says so, and the next run gets a fresh worker', async () => {
    // The worker script as served, with a first listener that ends the worker and throws for one runbook name.
    const crashOn = 'CRASH-THE-WORKER';
    panel = await PanelPage.open(browser, server, {
      beforeLoad: (page) =>
        page.route('**/worker.js', async (route) => {
          const response = await route.fetch();
          const crash =
            `self.addEventListener('message', (event) => { if ` +
            `(JSON.stringify(event.data).includes('${crashOn}')) { self.close(); throw new Error('simulated crash'); } });\n`;
          await route.fulfill({ response, body: crash + (await response.text()) });
        }),
    });
    const text = readExample('kb924567-exposed.runbook.yaml').replace(/^name: .*$/m, `name: ${crashOn}`);
    await panel.post(runbookMessageFor(text, 'crash.runbook.yaml'));
    await panel.page.waitForFunction(() => /simulator stopped/.test(document.querySelector('.status')?.textContent ?? ''), undefined, {
      timeout: 30_000,
    });
    assert.match(await panel.text('.status'), /The simulation cannot run: the simulator stopped: .*simulated crash/);
    await panel.post(exampleMessage('kb924567-exposed'));
    await panel.waitForResult();
    assert.match(await panel.text('.verdicts'), /EXCH01 runs out of store threads/);
  });

  it('shows runbook text as text: a server named <img src=x onerror=alert(1)> creates no element and runs nothing', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const text = readExample('kb924567-exposed.runbook.yaml')
      .replace(/EXCH01/g, `"${hostile}"`)
      .replace(/^name: .*$/m, `name: "${hostile} wave"`);
    const message = runbookMessageFor(text, 'hostile.runbook.yaml', { simulatable: true, blockingProblems: [], errorCount: 0 });
    panel = await PanelPage.open(browser, server);
    await panel.post(message);
    await panel.waitForResult();
    assert.equal(await panel.text('h1'), `${hostile} wave`);
    assert.match(await panel.text('.verdicts'), new RegExp(`${hostile.replace(/[()]/g, '\\$&')} runs out of store threads`));
    assert.ok((await panel.page.locator('h2', { hasText: hostile }).count()) >= 1);
    assert.equal(await panel.page.locator('img').count(), 0);
    assert.deepEqual(panel.dialogs, []);
  });

  it('says clearly when errors stop the simulation, with a button to the Problems panel', async () => {
    panel = await PanelPage.open(browser, server);
    const broken = readExample('kb924567-exposed.runbook.yaml').replace('to: EXCH02', 'to: EXCH09');
    const message = runbookMessageFor(broken, 'broken.runbook.yaml');
    assert.equal(message.simulatable, false, 'an undeclared server stops the simulation');
    await panel.post(message);
    const problems = panel.page.locator('.problems');
    await problems.waitFor();
    assert.match(await problems.innerText(), /The runbook has (an error that stops|\d+ errors that stop) the simulation/);
    assert.match(await problems.innerText(), /EXCH09/);
    await panel.page.getByRole('button', { name: 'Show Problems' }).click();
    assert.ok((await panel.posted()).some((posted) => posted.type === 'showProblems'));
    assert.doesNotMatch(await panel.text(), EXHAUSTION);
  });

  it('exports the result as CSV and JSON and the charts as PNG through the host', async () => {
    panel = await PanelPage.open(browser, server, { theme: LIGHT });
    await panel.post(exampleMessage('multi-wave'));
    await panel.waitForResult();
    for (const name of ['CSV', 'JSON', 'PNG']) await panel.page.getByRole('button', { name, exact: true }).click();
    const exports = (await panel.posted()).filter(
      (message): message is Extract<WebviewToHost, { type: 'export' }> => message.type === 'export',
    );
    assert.deepEqual(
      exports.map((message) => [message.format, message.suggestedName]),
      [
        ['csv', 'multi-wave.simulation.csv'],
        ['json', 'multi-wave.simulation.json'],
        ['png', 'multi-wave.simulation.png'],
      ],
    );
    const csvLines = exports[0].content.trim().split('\r\n');
    assert.equal(
      csvLines[0],
      'run,server,minute,time_utc,threads_delivery,threads_owa,threads_move,threads_flush,threads_busy,thread_pool,local_delivery_queue',
    );
    assert.ok(csvLines.some((line) => line.startsWith('as written,EXCH03,')));
    const json = JSON.parse(exports[1].content);
    assert.deepEqual(Object.keys(json.baseline.servers).sort(), ['EXCH01', 'EXCH02', 'EXCH03']);
    const png = Buffer.from(exports[2].content, 'base64');
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(png.length > 5000);
    // Not bare charts: above them the title, the verdict and the legend (the time axis is in each chart).
    const chartsHeight = await panel.page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLCanvasElement>('.chart canvas')).reduce((sum, canvas) => sum + canvas.height, 0),
    );
    const pngHeight = png.readUInt32BE(20);
    assert.ok(pngHeight > chartsHeight + 150, `the PNG is ${pngHeight} px high for ${chartsHeight} px of charts`);
    const headerInk = await panel.page.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = 120;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) ink++;
      return ink;
    }, exports[2].content);
    assert.ok(headerInk > 2000, `the top of the PNG (title and verdict) has ${headerInk} inked pixels`);
  });

  it('names the assumed numbers under the verdict, in words (no raw backticks), with a link that opens the list', async () => {
    panel = await PanelPage.open(browser, server);
    await panel.post(exampleMessage('kb924567-exposed'));
    await panel.waitForResult();
    assert.match(
      await panel.text('.verdicts'),
      /Rests on an assumed number no source gives: 40 Information Store task threads per server \(where to set them\)\./,
    );
    await panel.page.getByRole('link', { name: 'where to set them' }).click();
    const section = panel.page.locator('details#assumed-numbers');
    assert.equal(await section.getAttribute('open'), '');
    const listed = await section.innerText();
    assert.match(listed, /40\s+Information Store task threads per server \(no source gives the default; set store\.taskThreads\)/);
    assert.doesNotMatch(await panel.text('.details'), /`/);
    assert.equal(await section.locator('code', { hasText: 'store.taskThreads' }).count(), 1);
  });

  it('draws the 1,000-message line on a queue that passes it, and names when and how long', async () => {
    panel = await PanelPage.open(browser, server);
    await panel.post(exampleMessage('kb924567-exposed'));
    await panel.waitForResult();
    const section = panel.page.locator('article.server', { hasText: 'EXCH01' });
    assert.match(await section.locator('.consequence').innerText(), /over the analyzer's 1,000: first at \d\d:\d\d UTC for \d/);
    assert.match(await section.locator('.legend').innerText(), /1,000 queued: Exchange Server Analyzer error/);
    assert.match(await section.locator('table.summary').innerText(), /Queue over 1,000 \(analyzer error\)\s+first at/);
  });

  it('runs under the panel CSP with no violation', async () => {
    panel = await PanelPage.open(browser, server);
    const violations: string[] = [];
    panel.page.on('console', (entry) => {
      if (/Content Security Policy/i.test(entry.text())) violations.push(entry.text());
    });
    await panel.post(exampleMessage('gateway-out-threads-trap'));
    await panel.waitForResult();
    const served = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(server.lastHtml)?.[1] ?? '';
    const nonce = /'nonce-([A-Za-z0-9]+)'/.exec(served)?.[1] ?? '';
    assert.equal(served, contentSecurityPolicy(server.origin, nonce));
    assert.deepEqual(violations, []);
  });
});
