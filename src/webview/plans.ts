/**
 * "Find a safe plan" in the simulation panel: the button, the search's progress with Cancel, and
 * the plans the language server found, one row each with "Show on charts" and "Apply". The page
 * (main.ts) keeps the state in its one PageState (`PlansState` below) and calls `renderPlans`
 * whenever it changes; the search runs in the server, each plan's charts in the page's worker.
 * Runbook text (the changes in words) is set as text only.
 */
import { formatCount } from '../core/format/numbers';
import type { SimulationResult } from '../core/simulator/result';
import { describeChange, type PlanProgressMessage, type PlansMessage, type PlanView } from '../protocol/panel';
import { button, el } from './dom';

/** What the page knows about plans: part of PageState. */
export interface PlansState {
  /** A search is running in the server; its progress so far. */
  searching: boolean;
  progress?: Omit<PlanProgressMessage, 'type'>;
  /** The last answer (dropped when the runbook changes: its plans are for another version). */
  answer?: PlansMessage;
  /** The plan whose series are on the charts: hovered or focused, else the one chosen with "Show". */
  hovered?: number;
  selected?: number;
  /** Each plan's simulation in the page's worker, for the charts (by index in the answer; the closest option is index -1). */
  runs: Record<number, { done: boolean; failure?: string; result?: SimulationResult }>;
  /** The plan the worker's plan channel is simulating. */
  running?: number;
}

/** The index that stands for the closest option when none is safe. */
export const PARTIAL_INDEX = -1;

export function emptyPlans(): PlansState {
  return { searching: false, runs: {} };
}

/** One column of the plan list. To show another field of `PlanView`, add one entry here. */
export interface PlanColumn {
  header: string;
  cell(plan: PlanView): string;
  /** Text too long for a column (the change in words): on a row of its own under the plan's numbers. */
  wide?: boolean;
  /** Kept on one line (a date breaks badly at its hyphens). */
  nowrap?: boolean;
}

export const PLAN_COLUMNS: readonly PlanColumn[] = [
  { header: 'Finishes', cell: (plan) => plan.finish, nowrap: true },
  { header: 'Mail', cell: (plan) => plan.mail, nowrap: true },
  { header: 'Peak threads', cell: (plan) => `${formatCount(plan.peakThreadsBusy)} of ${formatCount(plan.threadPool)}` },
  { header: 'Worst local delivery queue', cell: (plan) => formatCount(plan.worstLocalDeliveryQueue) },
  { header: 'Steps changed', cell: (plan) => formatCount(plan.stepsChanged) },
  { header: 'Change', cell: (plan) => describeChange(plan), wide: true },
];

/** The plan on the charts now: hovered or focused first, then the chosen one. */
export function shownPlan(state: PlansState): number | undefined {
  return state.hovered ?? state.selected;
}

/** The plan (or closest option) at an index of the answer. */
export function planAt(answer: PlansMessage | undefined, index: number): PlanView | undefined {
  if (!answer || !('plans' in answer)) return undefined;
  return index === PARTIAL_INDEX ? answer.bestPartial : answer.plans[index];
}

/** A plan's name on the charts and in the summary table. */
export function planName(index: number): string {
  return index === PARTIAL_INDEX ? 'Closest option' : `Plan ${index + 1}`;
}

export interface PlanActions {
  find(): void;
  cancel(): void;
  apply(index: number): void;
  /** Show a plan on the charts (undefined: none); `hover` is the passing kind (mouse or focus). */
  show(index: number | undefined, hover: boolean): void;
}

/** Builds the plans section's content for the state (the caller replaces the section's children). */
export function renderPlans(state: PlansState, actions: PlanActions, simulatable: boolean): HTMLElement[] {
  const find = button('Find a safe plan', {
    icon: 'lightbulb',
    title: 'Search for changes that make the runbook safe (run by the language server); list them here',
  });
  find.disabled = state.searching || !simulatable;
  find.dataset.focus = 'find';
  find.addEventListener('click', () => actions.find());
  const bar = el('div', { class: 'plans-bar' }, find);
  if (state.searching) {
    const progress = state.progress;
    const meter = el('progress', { class: 'plans-progress', max: 1, 'aria-label': 'Plan search progress' });
    if (progress && progress.candidates > 0) meter.value = progress.searched / progress.candidates;
    const cancel = button('Cancel', { icon: 'close', secondary: true, title: 'Stop the search for plans' });
    cancel.setAttribute('aria-label', 'Cancel the plan search');
    cancel.dataset.focus = 'cancel';
    cancel.addEventListener('click', () => actions.cancel());
    bar.append(
      meter,
      el(
        'span',
        { class: 'plans-status', role: 'status' },
        progress
          ? `Searching: ${formatCount(progress.searched)} of ${formatCount(progress.candidates)} candidates simulated, ${formatCount(progress.found)} safe…`
          : 'Searching for safe plans…',
      ),
      cancel,
    );
  }
  const parts: HTMLElement[] = [bar];
  const answer = state.answer;
  if (!answer || state.searching) return parts;
  if ('cancelled' in answer) {
    parts.push(el('p', { class: 'plans-note', role: 'status' }, 'The search was cancelled.'));
    return parts;
  }
  if ('problem' in answer) {
    parts.push(el('p', { class: 'plans-note bad', role: 'status' }, answer.problem));
    return parts;
  }
  const searched = `${formatCount(answer.searched)} candidate${answer.searched === 1 ? '' : 's'} simulated${stoppedWords(answer.stopped)}`;
  if (answer.plans.length > 0) {
    parts.push(
      el(
        'p',
        { class: 'plans-note', role: 'status' },
        `${answer.plans.length === 1 ? 'One safe plan' : `${answer.plans.length} safe plans`}, those that keep mail up first, ` +
          `then the fastest (${searched}). ` +
          'Hover or focus a plan to see it dashed on the charts; Apply writes it into the runbook as one edit.',
      ),
      el('p', { class: answer.plans[0].mailStaysUp ? 'plans-note' : 'plans-note bad' }, mailSentence(answer.plans[0])),
      scrolling(planTable(state, answer.plans, actions, 'Safe plans')),
    );
    return parts;
  }
  const partial = answer.bestPartial;
  const why = partial?.problems?.[0] ?? answer.asWrittenProblems[0];
  parts.push(
    el(
      'p',
      { class: 'plans-note bad', role: 'status' },
      `No safe plan found (${searched}).` +
        (partial ? ` The closest option: ${describeChange(partial)}.` : '') +
        (why ? ` It is still not safe: ${why}` : ''),
    ),
  );
  if (partial) parts.push(scrolling(planTable(state, [partial], actions, 'Closest option (not safe)', PARTIAL_INDEX)));
  return parts;
}

/** What the first plan does to mail, as `exrunbook plan` says it under its table. */
function mailSentence(best: PlanView): string {
  return best.mailStaysUp
    ? `Mail stays up in plan 1: ${best.mailReason}.`
    : `No plan the search simulated keeps mail up; in plan 1 ${best.mailReason}.`;
}

/** A table in a box that scrolls sideways when the panel is narrower than the table. */
function scrolling(table: HTMLElement): HTMLElement {
  return el('div', { class: 'plans-scroll' }, table);
}

function stoppedWords(stopped: string): string {
  if (stopped === 'time') return '; the search stopped at its time limit';
  if (stopped === 'events') return '; the search stopped at its event budget';
  if (stopped === 'cancelled') return '; the search was cancelled';
  return '';
}

function planTable(state: PlansState, plans: readonly PlanView[], actions: PlanActions, caption: string, firstIndex?: number): HTMLElement {
  const shown = shownPlan(state);
  const narrow = PLAN_COLUMNS.filter((column) => !column.wide);
  const wide = PLAN_COLUMNS.filter((column) => column.wide);
  const span = narrow.length + 1;
  // One tbody per plan: its numbers on one row; below, each wide column (the change in words) on a
  // row of its own and the plan's buttons, so a narrow panel keeps them in view.
  const bodies = plans.map((plan, i) => {
    const index = firstIndex ?? i;
    const name = planName(index);
    const run = state.runs[index];
    const show = button('Show', { icon: 'graph-line', secondary: true, title: `Show ${name} dashed on the charts` });
    show.setAttribute('aria-label', `Show ${name.toLowerCase()} on the charts`);
    show.setAttribute('aria-pressed', String(state.selected === index));
    show.dataset.focus = `show ${index}`;
    show.addEventListener('click', () => actions.show(state.selected === index ? undefined : index, false));
    const buttons = el('div', { class: 'plan-actions' }, show);
    if (index !== PARTIAL_INDEX && plan.changes.length > 0) {
      const apply = button('Apply', { icon: 'check', title: `Write ${name} into the runbook (one edit; Ctrl+Z undoes it)` });
      apply.setAttribute('aria-label', `Apply ${name.toLowerCase()}`);
      apply.dataset.focus = `apply ${index}`;
      apply.addEventListener('click', () => actions.apply(index));
      buttons.append(apply);
    }
    const numbers = el(
      'tr',
      { class: 'plan-numbers' },
      el('th', { scope: 'row' }, name, run && !run.done ? el('span', { class: 'hint' }, ' (simulating…)') : null),
      ...narrow.map((column) => el('td', { class: column.nowrap ? 'nowrap' : undefined }, column.cell(plan))),
    );
    const below = wide.map((column) =>
      el(
        'tr',
        { class: 'plan-wide' },
        el('td', { colspan: span }, el('span', { class: 'visually-hidden' }, `${column.header}: `), column.cell(plan)),
      ),
    );
    if (run?.failure) below.push(el('tr', { class: 'plan-wide' }, el('td', { colspan: span, class: 'hint' }, run.failure)));
    below.push(el('tr', { class: 'plan-wide' }, el('td', { colspan: span }, buttons)));
    const body = el('tbody', { class: shown === index ? 'plan shown' : 'plan', 'data-plan': String(index) }, numbers, ...below);
    body.addEventListener('mouseenter', () => actions.show(index, true));
    body.addEventListener('mouseleave', () => actions.show(undefined, true));
    body.addEventListener('focusin', () => actions.show(index, true));
    body.addEventListener('focusout', (event) => {
      if (!body.contains(event.relatedTarget as Node | null)) actions.show(undefined, true);
    });
    return body;
  });
  return el(
    'table',
    { class: 'plans-table', 'aria-label': caption },
    el('caption', { class: 'visually-hidden' }, caption),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Plan'), ...narrow.map((column) => el('th', { scope: 'col' }, column.header)))),
    ...bodies,
  );
}

/**
 * Marks the row on the charts without building the list again (hovering must not move the
 * keyboard focus, which a rebuild would).
 */
export function markShown(section: HTMLElement, index: number | undefined): void {
  for (const row of section.querySelectorAll<HTMLElement>('tbody.plan')) row.classList.toggle('shown', row.dataset.plan === String(index));
}

/**
 * Replaces the section's content, keeping the keyboard focus on the same control (by its
 * data-focus key); when that control is gone or disabled (Find while searching, Cancel after), on
 * the one that took its place.
 */
export function replaceKeepingFocus(section: HTMLElement, content: HTMLElement[]): void {
  const active = document.activeElement;
  const key = active instanceof HTMLElement && section.contains(active) ? active.dataset.focus : undefined;
  section.replaceChildren(...content);
  if (key === undefined) return;
  const usable = (candidate: string) => {
    const found = section.querySelector<HTMLButtonElement>(`[data-focus="${candidate}"]`);
    return found && !found.disabled ? found : null;
  };
  (usable(key) ?? usable('cancel') ?? usable('find'))?.focus();
}
