/**
 * How a moment of a simulation is told, the same everywhere it is shown (CodeLens, the panel, the
 * CLI): the clock time when the runbook gives one (else the offset from its first step), then how
 * far into the step it falls — "23:47 UTC, 1 h 30 m into move-finance". An engineer reads the
 * night by the clock and the step by its own start; "+19h59m from the runbook's start" is neither.
 */
import { formatMinutes, formatOffset } from '../format/duration';
import type { QueueThresholdSummary, SimulationResult, StepResult } from './result';

/** "23:47 UTC" on the runbook's clock, with the date when it is not the first day; "+1h47m" without a clock. */
export function formatTime(result: Pick<SimulationResult, 'clockOrigin'>, minutes: number): string {
  if (result.clockOrigin === null) return formatOffset(minutes);
  const iso = new Date(result.clockOrigin + minutes * 60000).toISOString();
  const firstDay = new Date(result.clockOrigin).toISOString().slice(0, 10);
  const day = iso.slice(0, 10);
  return day === firstDay ? `${iso.slice(11, 16)} UTC` : `${day} ${iso.slice(11, 16)} UTC`;
}

/** The step a moment belongs to, by index (preferred) or id. */
function findStep(result: Pick<SimulationResult, 'steps'>, step: { index?: number | null; id?: string | null }): StepResult | undefined {
  if (step.index !== undefined && step.index !== null) {
    const byIndex = result.steps[step.index];
    if (byIndex && byIndex.index === step.index) return byIndex;
  }
  return step.id ? result.steps.find((candidate) => candidate.id === step.id) : undefined;
}

/** "1 h 30 m into move-finance"; "during move-finance" when the step is not in the result; empty without a step. */
export function intoStep(
  result: Pick<SimulationResult, 'steps'>,
  step: { index?: number | null; id?: string | null },
  minutes: number,
): string {
  const found = findStep(result, step);
  if (!found) return step.id ? `during ${step.id}` : '';
  return `${formatMinutes(Math.max(0, minutes - found.start))} into ${found.id}`;
}

/**
 * "23:47 UTC, 1 h 30 m into move-finance"; without a clock "1 h 30 m into move-finance
 * (+19h59m)", the offset being what the chart's axis shows (left out for a step that starts at 0,
 * where it says the same); the time alone without a step.
 */
export function formatMoment(
  result: Pick<SimulationResult, 'clockOrigin' | 'steps'>,
  minutes: number,
  step: { index?: number | null; id?: string | null } = {},
): string {
  const into = intoStep(result, step, minutes);
  const time = formatTime(result, minutes);
  if (!into) return time;
  const found = findStep(result, step);
  if (result.clockOrigin !== null || !found) return `${time}, ${into}`;
  return found.start === 0 ? into : `${into} (${time})`;
}

/** A step took at least this much longer than planned, and this many times as long, before it is pointed out. */
const STRETCH_MIN_EXTRA_MINUTES = 30;
const STRETCH_MIN_FACTOR = 1.25;

export interface StretchedStep {
  step: StepResult;
  planned: number;
  /** Simulated minutes (to the end of the run when it did not finish). */
  actual: number;
}

/**
 * The steps the simulated load made markedly longer than the schedule planned (a move slowed by
 * waiting for store threads), in step order.
 */
export function stretchedSteps(result: Pick<SimulationResult, 'steps'>): StretchedStep[] {
  const stretched: StretchedStep[] = [];
  for (const step of result.steps) {
    if (step.planned === undefined) continue;
    const actual = step.end - step.start;
    if (actual - step.planned >= STRETCH_MIN_EXTRA_MINUTES && actual >= STRETCH_MIN_FACTOR * step.planned)
      stretched.push({ step, planned: step.planned, actual });
  }
  return stretched;
}

/** "move-finance took 16 h instead of the planned 7 h" (or "had run 16 h of a planned 7 h when the run ended"). */
export function stretchSentence({ step, planned, actual }: StretchedStep): string {
  return step.completed
    ? `${step.id} took ${formatMinutes(actual)} instead of the planned ${formatMinutes(planned)}`
    : `${step.id} had run ${formatMinutes(actual)} of a planned ${formatMinutes(planned)} and was not finished when the run ended`;
}

/**
 * The local delivery queue against the analyzer's line, in words: "never", or "first at 23:20 UTC
 * for 1 h 10 m; 3 times, 12 h in all" ("… and still over it when the run ended").
 */
export function queueThresholdWords(result: Pick<SimulationResult, 'clockOrigin'>, over: QueueThresholdSummary): string {
  if (over.firstAt === null) return 'never';
  const first = `first at ${formatTime(result, over.firstAt)} for ${formatMinutes(over.firstMinutes ?? 0)}`;
  const again = over.stretches > 1 ? `; ${over.stretches} times, ${formatMinutes(over.totalMinutes)} in all` : '';
  const end = over.overAtEnd ? '; still over it when the run ended' : '';
  return first + again + end;
}
