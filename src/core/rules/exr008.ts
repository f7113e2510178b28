import type { Finding, Span } from '../diagnostics';
import { formatClock, formatMinutes } from '../format/duration';
import { stepEffect } from '../model/actions';
import { statesThroughSteps, serversOfStep } from '../model/state';
import type { Runbook, Step } from '../model/types';
import { serverKey } from '../model/types';
import { intervalAt, isKnownTimeZone, nextInterval, previousInterval, windowDeclaresTimes, type Interval } from '../model/window';
import type { SimulationResult } from '../simulator/result';
import { stepLabel, type SemanticRule } from './rule';

/**
 * EXR008: a step outside the maintenance window. Its times are the simulation's (the same run as
 * EXR005), so a move that waits for store threads is judged by when it really ends. The check
 * over the model only reports a time zone this runtime does not know.
 */
export const exr008: SemanticRule = {
  code: 'EXR008',
  defaultSeverity: 'warning',
  plan: 'solves',
  title: 'Step outside the maintenance window',
  facts: ['N1', 'N2'],
  explanation:
    'The runbook declares a maintenance window (`window:`), the time the change board allows work. ' +
    'The simulation predicts that a mailbox move ends after the window closes (or starts outside it), or ' +
    'that a step which stops services (a hotfix, a service pack, a restart, a reboot) starts outside it. ' +
    'Durations come from the simulation, so a move slowed by store thread exhaustion is judged by when it ' +
    'really ends. Fix: start earlier, move faster (more concurrency once the store is protected), split the ' +
    'move across windows, or let `exrunbook plan` find a plan that fits.',
  fromSimulation: true,
  check(context) {
    const zone = context.runbook.window?.timeZone;
    if (!zone || isKnownTimeZone(zone.value)) return [];
    return [
      {
        code: 'EXR008',
        span: zone.span,
        message:
          `The time zone \`${zone.value}\` is not one this product knows: the daily window is read in UTC. ` +
          `Write an IANA time zone name such as Europe/London or America/New_York.`,
      },
    ];
  },
};

/** How a step stands against the window, for the rule and the planner. */
export interface WindowJudgement {
  stepIndex: number;
  /** Minutes outside the window: past its close (a move's end) or before the next opening (a start). */
  overrunMinutes: number;
  message: string;
  span: Span;
}

/**
 * Every step the simulation places outside the window: a move whose end is past the close of the
 * window interval it started in (or which starts outside every interval), and a step that stops
 * services on its server whose start is outside. Empty without a window or without clock times.
 */
export function windowJudgements(runbook: Runbook, result: SimulationResult): WindowJudgement[] {
  const window = runbook.window;
  if (!windowDeclaresTimes(window) || result.clockOrigin === null) return [];
  const origin = result.clockOrigin;
  const states = statesThroughSteps(runbook);
  const judgements: WindowJudgement[] = [];
  for (const stepResult of result.steps) {
    const step = runbook.steps[stepResult.index];
    if (!step) continue;
    const start = origin + stepResult.start * 60000;
    const end = origin + stepResult.end * 60000;
    const label = stepLabel(step);
    const span = stepSpan(step);
    if (step.action?.value === 'move-mailboxes') {
      const open = intervalAt(window, start);
      if (!open) {
        judgements.push(outsideAtStart(window, step, start, label, 'moves mailboxes', span));
        continue;
      }
      if (end > open.end) {
        const overrun = (end - open.end) / 60000;
        judgements.push({
          stepIndex: step.index,
          overrunMinutes: overrun,
          span,
          message:
            `Step ${label} is predicted to end at ${formatClock(end)}, ${formatMinutes(overrun)} after the maintenance window ` +
            `closes at ${formatClock(open.end)} (it starts at ${formatClock(start)} and takes ${formatMinutes((end - start) / 60000)} ` +
            `in the simulation${stepResult.completed ? '' : ', and has not finished when the simulation ends'}). Start it earlier, ` +
            `move faster, or split it across windows; \`exrunbook plan\` searches for a plan that fits.`,
        });
      }
      continue;
    }
    const server = serversOfStep(step)[0];
    const state = server !== undefined ? states.before[step.index]?.get(serverKey(server)) : undefined;
    const outage = state ? stepEffect(step, state).outage : undefined;
    if (!outage || intervalAt(window, start)) continue;
    judgements.push(outsideAtStart(window, step, start, label, `stops services (${lowerFirst(outage.cause)} on ${state!.name})`, span));
  }
  return judgements;
}

function outsideAtStart(
  window: NonNullable<Runbook['window']>,
  step: Step,
  start: number,
  label: string,
  what: string,
  span: Span,
): WindowJudgement {
  const next: Interval | undefined = nextInterval(window, start);
  const previous = previousInterval(window, start);
  const before = next ? (next.start - start) / 60000 : undefined;
  const after = previous ? (start - previous.end) / 60000 : undefined;
  const where =
    after !== undefined && (before === undefined || after <= before)
      ? `${formatMinutes(after)} after the maintenance window closed at ${formatClock(previous!.end)}`
      : before !== undefined
        ? `${formatMinutes(before)} before the maintenance window opens at ${formatClock(next!.start)}`
        : 'outside every interval of the maintenance window';
  return {
    stepIndex: step.index,
    overrunMinutes: Math.min(after ?? Infinity, before ?? Infinity),
    span,
    message: `Step ${label} ${what} and is predicted to start at ${formatClock(start)}, ${where}. Move it into the window.`,
  };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Where a window finding goes: the step's `start` when it has one, else its id, else the step. */
function stepSpan(step: Step): Span {
  const field = step.start ?? step.id ?? step.action;
  return field ? { ...field.span } : { start: step.span.start, end: step.span.start };
}

/** EXR008's findings from a simulation result. */
export function windowFindings(runbook: Runbook, result: SimulationResult): Finding[] {
  return windowJudgements(runbook, result).map((judgement) => ({
    code: 'EXR008',
    span: judgement.span,
    message: judgement.message,
    data: { stepIndex: judgement.stepIndex, overrunMinutes: Math.round(judgement.overrunMinutes) },
  }));
}
