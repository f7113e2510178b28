/**
 * The what-if controls: KB924567 (with Gateway Out Threads 0) per source server, Gateway Out
 * Threads, move concurrency and store task threads. Every change re-simulates at once; the
 * hotfix and concurrency changes can be written into the runbook.
 */
import { formatCount } from '../core/format/numbers';
import { FIELD_LIMITS } from '../core/format/generated/fieldLimits';
import type { Assumptions } from '../core/model/assumptions';
import { DEFAULT_ASSUMPTIONS } from '../core/model/assumptions';
import { exposedMoves } from '../core/model/state';
import { serverKey, type Runbook } from '../core/model/types';
import type { WhatIf } from '../core/simulator/index';
import { button, el } from './dom';
import type { RunbookChange } from '../protocol/panel';

export interface SourceServer {
  name: string;
  /** Ids of the moves off it that register a held flush (KB924567 exposed). */
  exposedMoves: string[];
  gatewayOutThreads: number;
}

export interface WhatIfChoices {
  sources: SourceServer[];
  servers: { name: string; taskThreads: number }[];
  /** The concurrency of the moves as written, when they all agree. */
  concurrency: number | undefined;
  hasMoves: boolean;
}

/** What can be varied in this runbook: its source servers, servers and moves. */
export function whatIfChoices(runbook: Runbook, assumptions: Partial<Assumptions>): WhatIfChoices {
  const exposed = new Set(exposedMoves(runbook).map((move) => move.step));
  const sources = new Map<string, SourceServer>();
  const concurrencies = new Set<number>();
  let hasMoves = false;
  for (const step of runbook.steps) {
    if (step.action?.value !== 'move-mailboxes' || !step.from) continue;
    hasMoves = true;
    concurrencies.add(step.concurrency?.value ?? 1);
    const key = serverKey(step.from.value);
    const declared = runbook.servers.find((server) => server.name && serverKey(server.name.value) === key);
    const source = sources.get(key) ?? {
      name: declared?.name?.value ?? step.from.value,
      exposedMoves: [],
      gatewayOutThreads: declared?.gatewayOutThreads?.value ?? 1,
    };
    if (exposed.has(step)) source.exposedMoves.push(step.id?.value ?? `step ${step.index + 1}`);
    sources.set(key, source);
  }
  const defaultThreads = assumptions.storeTaskThreads ?? DEFAULT_ASSUMPTIONS.storeTaskThreads;
  const servers = runbook.servers
    .filter((server) => server.name)
    .map((server) => ({ name: server.name!.value, taskThreads: server.taskThreads?.value ?? defaultThreads }));
  return { sources: [...sources.values()], servers, concurrency: concurrencies.size === 1 ? [...concurrencies][0] : undefined, hasMoves };
}

/** Drops what-if entries about servers the runbook no longer has. */
export function pruneWhatIf(whatIf: WhatIf, choices: WhatIfChoices): WhatIf {
  const sources = new Set(choices.sources.map((source) => serverKey(source.name)));
  const servers = new Set(choices.servers.map((server) => serverKey(server.name)));
  const pick = (record: Record<string, number> | undefined, keep: Set<string>) => {
    const entries = Object.entries(record ?? {}).filter(([name]) => keep.has(serverKey(name)));
    return entries.length ? Object.fromEntries(entries) : undefined;
  };
  const hotfix = (whatIf.hotfix ?? []).filter((name) => sources.has(serverKey(name)));
  return compact({
    hotfix: hotfix.length ? hotfix : undefined,
    gatewayOutThreads: pick(whatIf.gatewayOutThreads, sources),
    concurrency: choices.hasMoves ? whatIf.concurrency : undefined,
    taskThreads: pick(whatIf.taskThreads, servers),
  });
}

function compact(whatIf: WhatIf): WhatIf {
  return Object.fromEntries(Object.entries(whatIf).filter(([, value]) => value !== undefined)) as WhatIf;
}

let uniqueId = 0;
function nextId(prefix: string): string {
  return `${prefix}-${++uniqueId}`;
}

/**
 * Builds the controls. `onChange` gets the new what-if after every edit; `onApply` when the
 * engineer asks to write a change into the runbook.
 */
export function renderWhatIfControls(
  choices: WhatIfChoices,
  whatIf: WhatIf,
  onChange: (whatIf: WhatIf) => void,
  onApply: (change: RunbookChange) => void,
  onInvalid: (problems: string[]) => void = () => {},
): HTMLElement {
  let current: WhatIf = { ...whatIf };
  const update = (next: WhatIf) => {
    current = compact(next);
    onChange(current);
  };
  // The fields whose text is not a value they accept, and why: while any is, the what-if is not
  // the one on screen, so the page must not show the last valid one's verdict as if it were.
  const invalid = new Map<string, string>();
  const validity = (key: string) => (problem: string | null) => {
    if (problem === null ? !invalid.delete(key) : invalid.get(key) === problem) return;
    if (problem !== null) invalid.set(key, problem);
    onInvalid([...invalid.values()]);
  };
  const fieldset = el('fieldset', { class: 'what-if' }, el('legend', {}, 'What if…'));

  if (choices.sources.length > 0) {
    const group = el('div', { class: 'control-group' }, el('h3', {}, 'KB924567 with Gateway Out Threads 0, from the start'));
    for (const source of choices.sources) {
      const id = nextId('hotfix');
      const checked = (current.hotfix ?? []).some((name) => serverKey(name) === serverKey(source.name));
      const box = el('input', { type: 'checkbox', id, checked, 'data-server': source.name });
      const hint = source.exposedMoves.length > 0 ? `exposed in ${source.exposedMoves.join(', ')}` : 'not exposed';
      const apply = button('Insert hotfix step', {
        icon: 'insert',
        secondary: true,
        title: `Write an install-hotfix KB924567 step for ${source.name} into the runbook, before its first exposed move`,
      });
      apply.classList.add('apply');
      apply.hidden = !checked || source.exposedMoves.length === 0;
      apply.addEventListener('click', () => onApply({ kind: 'hotfix', server: source.name }));
      box.addEventListener('change', () => {
        const others = (current.hotfix ?? []).filter((name) => serverKey(name) !== serverKey(source.name));
        apply.hidden = !box.checked || source.exposedMoves.length === 0;
        update({ ...current, hotfix: box.checked ? [...others, source.name] : others.length ? others : undefined });
      });
      group.append(
        el(
          'div',
          { class: 'control-row' },
          box,
          el('label', { for: id }, source.name, ' ', el('span', { class: 'hint' }, `(${hint})`)),
          apply,
        ),
      );
    }
    fieldset.append(group);

    const gateway = el('div', { class: 'control-group' }, el('h3', {}, 'Gateway Out Threads'));
    for (const source of choices.sources) {
      gateway.append(
        numberControl(
          source.name,
          `Gateway Out Threads on ${source.name}`,
          current.gatewayOutThreads?.[source.name],
          source.gatewayOutThreads,
          { min: FIELD_LIMITS.gatewayOutThreads.minimum, max: FIELD_LIMITS.gatewayOutThreads.maximum },
          (value) => {
            const record = { ...(current.gatewayOutThreads ?? {}) };
            if (value === undefined) delete record[source.name];
            else record[source.name] = value;
            update({ ...current, gatewayOutThreads: Object.keys(record).length ? record : undefined });
          },
          validity(`gateway:${source.name}`),
        ),
      );
    }
    fieldset.append(gateway);
  }

  if (choices.hasMoves) {
    const group = el('div', { class: 'control-group' }, el('h3', {}, 'Move concurrency (every move step)'));
    const apply = button('Write into runbook', {
      icon: 'edit',
      secondary: true,
      title: 'Set this concurrency on every move step of the runbook',
    });
    apply.classList.add('apply');
    apply.hidden = current.concurrency === undefined;
    apply.addEventListener('click', () => {
      if (current.concurrency !== undefined) onApply({ kind: 'concurrency', concurrency: current.concurrency });
    });
    const row = numberControl(
      'Mailboxes at once',
      'Move concurrency: mailboxes at once',
      current.concurrency,
      choices.concurrency,
      { min: FIELD_LIMITS.concurrency.minimum, max: FIELD_LIMITS.concurrency.maximum },
      (value) => {
        apply.hidden = value === undefined;
        update({ ...current, concurrency: value });
      },
      (problem) => {
        if (problem !== null) apply.hidden = true;
        validity('concurrency')(problem);
      },
    );
    row.append(apply);
    group.append(row);
    fieldset.append(group);
  }

  if (choices.servers.length > 0) {
    const group = el('div', { class: 'control-group' }, el('h3', {}, 'Store task threads'));
    for (const server of choices.servers) {
      group.append(
        numberControl(
          server.name,
          `Store task threads on ${server.name}`,
          current.taskThreads?.[server.name],
          server.taskThreads,
          { min: FIELD_LIMITS.taskThreads.minimum, max: FIELD_LIMITS.taskThreads.maximum },
          (value) => {
            const record = { ...(current.taskThreads ?? {}) };
            if (value === undefined) delete record[server.name];
            else record[server.name] = value;
            update({ ...current, taskThreads: Object.keys(record).length ? record : undefined });
          },
          validity(`threads:${server.name}`),
        ),
      );
    }
    fieldset.append(group);
  }
  return fieldset;
}

/** A labelled number input; empty means "as written" (shown as the placeholder). */
function numberControl(
  label: string,
  accessibleName: string,
  value: number | undefined,
  asWritten: number | undefined,
  range: { min: number; max: number },
  onValue: (value: number | undefined) => void,
  onProblem: (problem: string | null) => void,
): HTMLElement {
  const id = nextId('number');
  const input = el('input', {
    type: 'number',
    id,
    'aria-label': accessibleName,
    min: range.min,
    max: range.max,
    step: 1,
    value: value === undefined ? undefined : String(value),
    placeholder: asWritten === undefined ? 'as written' : `${asWritten} (as written)`,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const commit = () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text === '' && !input.validity.badInput) {
      input.removeAttribute('aria-invalid');
      onProblem(null);
      onValue(undefined);
      return;
    }
    const parsed = Number(text);
    const valid = Number.isInteger(parsed) && parsed >= range.min && parsed <= range.max;
    input.setAttribute('aria-invalid', String(!valid));
    if (valid) {
      onProblem(null);
      onValue(parsed);
    } else {
      const shown = text === '' ? 'what is typed' : text.replace(/^-/, '−');
      onProblem(`${accessibleName} must be a whole number from ${formatCount(range.min)} to ${formatCount(range.max)}, not ${shown}`);
    }
  };
  // Typing "12" passes through "1": wait a moment before re-simulating; arrows and Enter commit at once.
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(commit, 250);
  });
  input.addEventListener('change', commit);
  return el('div', { class: 'control-row' }, el('label', { for: id }, label), input);
}
