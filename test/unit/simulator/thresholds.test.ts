/** The thresholds operators watch: the local delivery queue over the Exchange Server Analyzer's 1,000 messages. */
import assert from 'node:assert/strict';
import { formatSimulation } from '../../../src/cli/simulate';
import { simulate } from '../../../src/core/simulator';
import { queueThresholdWords } from '../../../src/core/simulator/moments';
import { Store } from '../../../src/core/simulator/store';
import {
  LOCAL_QUEUE_THRESHOLD,
  QUEUE_DIP_MINUTES,
  queueFell,
  queueRose,
  queueThresholdSummary,
} from '../../../src/core/simulator/thresholds';
import { exampleRunbook } from './runbooks';

function bareStore(): Store {
  return new Store(0, 'EXCH01', {} as ConstructorParameters<typeof Store>[2], 40, 0, 0, 0, 0);
}

describe('simulator: the local delivery queue against the 1,000-message line', function () {
  this.timeout(60000);

  it('is the Exchange Server Analyzer’s figure', () => {
    assert.equal(LOCAL_QUEUE_THRESHOLD, 1000);
  });

  it('counts stretches over the line, merging dips shorter than QUEUE_DIP_MINUTES, and one still open at the end', () => {
    const store = bareStore();
    queueRose(store, 10);
    queueFell(store, 30);
    queueRose(store, 30 + QUEUE_DIP_MINUTES / 2); // a short dip: the same stretch
    queueFell(store, 40);
    queueRose(store, 40 + QUEUE_DIP_MINUTES * 4); // a long dip: a new stretch
    const open = queueThresholdSummary(store, 100);
    assert.deepEqual(open, {
      threshold: 1000,
      firstAt: 10,
      firstMinutes: 30,
      stretches: 2,
      totalMinutes: 30 + (100 - 60),
      longestMinutes: 40,
      overAtEnd: true,
    });
    // Reading the summary changes nothing: a second read, later, counts on from the same records.
    assert.equal(queueThresholdSummary(store, 110).totalMinutes, 30 + 50);
    assert.equal(
      queueThresholdWords({ clockOrigin: Date.UTC(2026, 11, 5, 22, 0) }, open),
      'first at 22:10 UTC for 30 m; 2 times, 1 h 10 m in all; still over it when the run ended',
    );
  });

  it('says "never" for a queue that stayed under it', () => {
    const summary = queueThresholdSummary(bareStore(), 100);
    assert.equal(summary.firstAt, null);
    assert.equal(queueThresholdWords({ clockOrigin: null }, summary), 'never');
  });

  const exposed = exampleRunbook('kb924567-exposed');
  const result = simulate(exposed.runbook);

  it('kb924567-exposed: EXCH01’s queue passes 1,000 after the threads run out; the series agrees', () => {
    const { summary, series } = result.servers.EXCH01;
    const over = summary.localQueueOverThreshold;
    assert.notEqual(over.firstAt, null);
    assert.ok(over.firstAt! >= summary.exhaustedAt!, 'the queue builds once the threads are gone');
    assert.ok(over.firstMinutes! > 0 && over.firstMinutes! <= over.longestMinutes && over.longestMinutes <= over.totalMinutes);
    assert.ok(over.totalMinutes <= result.duration);
    // Every sample over the line lies inside the measured time over it (the engine measures it
    // event by event; the series only samples): none before the first crossing, and no more
    // sampled minutes over it than measured ones plus a sample per stretch.
    const overSamples = series.t.filter((_, i) => series.deliveryQueue[i] > LOCAL_QUEUE_THRESHOLD);
    assert.ok(overSamples.length > 0);
    assert.ok(overSamples[0] >= over.firstAt!);
    assert.ok(overSamples.length * result.sampleInterval <= over.totalMinutes + over.stretches * result.sampleInterval);
    assert.equal(result.servers.EXCH02.summary.localQueueOverThreshold.firstAt, null);
  });

  it('kb924567-fixed: the queue passes 1,000 only while the hotfix install has the store down, and briefly', () => {
    const fixed = simulate(exampleRunbook('kb924567-fixed').runbook);
    const install = fixed.steps.find((step) => step.action === 'install-hotfix')!;
    const over = fixed.servers.EXCH01.summary.localQueueOverThreshold;
    assert.notEqual(over.firstAt, null);
    assert.ok(over.firstAt! >= install.start && over.firstAt! <= install.end, 'mail queues while the store restarts');
    assert.equal(over.stretches, 1);
    assert.ok(over.totalMinutes < 30, `over the line for ${over.totalMinutes} minutes`);
    assert.equal(over.overAtEnd, false);
    assert.equal(fixed.servers.EXCH02.summary.localQueueOverThreshold.firstAt, null);
  });

  it('is the same without the series (summaries-only runs: the language server, lint)', () => {
    const lean = simulate(exposed.runbook, { series: false });
    assert.deepEqual(lean.servers.EXCH01.summary.localQueueOverThreshold, result.servers.EXCH01.summary.localQueueOverThreshold);
  });

  it('`exrunbook simulate` prints, per server, when the queue first passed 1,000 and for how long', () => {
    const text = formatSimulation(result, exposed.runbook);
    const over = result.servers.EXCH01.summary.localQueueOverThreshold;
    assert.match(text, new RegExp(`queue over 1,000 +${queueThresholdWords(result, over).replace(/[()+]/g, '\\$&')}`));
    assert.match(text, /EXCH01[\s\S]*queue over 1,000 +first at \d\d:\d\d UTC for \d/);
    assert.match(text, /EXCH02[\s\S]*queue over 1,000 +never/);
  });
});
