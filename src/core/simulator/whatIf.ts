import { KB924567 } from '../model/facts';
import type { Field, Runbook, ServerDecl } from '../model/types';
import { serverKey } from '../model/types';

/** A variation of a runbook to simulate beside the plain one. Server names compare case-insensitively. */
export interface WhatIf {
  /** Servers that have KB924567 and Gateway Out Threads 0 from the start. */
  hotfix?: string[];
  gatewayOutThreads?: Record<string, number>;
  /** Concurrency of every move step. */
  concurrency?: number;
  taskThreads?: Record<string, number>;
}

/** Returns a new runbook model with the what-if applied; the input is not changed. */
export function applyWhatIf(runbook: Runbook, whatIf: WhatIf): Runbook {
  const hotfixed = new Set((whatIf.hotfix ?? []).map(serverKey));
  const gateway = byKey(whatIf.gatewayOutThreads);
  const threads = byKey(whatIf.taskThreads);
  const servers = runbook.servers.map((server): ServerDecl => {
    const key = server.name ? serverKey(server.name.value) : undefined;
    if (!key) return server;
    const copy: ServerDecl = { ...server, hotfixes: [...server.hotfixes], load: { ...server.load } };
    const here = server.span;
    if (hotfixed.has(key)) {
      if (!copy.hotfixes.some((kb) => kb.value.toUpperCase() === KB924567)) copy.hotfixes.push(field(KB924567, here));
      copy.gatewayOutThreads = field(0, server.gatewayOutThreads?.span ?? here);
    }
    const gatewayValue = gateway.get(key);
    if (gatewayValue !== undefined) copy.gatewayOutThreads = field(gatewayValue, server.gatewayOutThreads?.span ?? here);
    const threadValue = threads.get(key);
    if (threadValue !== undefined) copy.taskThreads = field(threadValue, server.taskThreads?.span ?? here);
    return copy;
  });
  const concurrency = whatIf.concurrency;
  const steps = runbook.steps.map((step) => {
    if (concurrency === undefined || step.action?.value !== 'move-mailboxes') return step;
    return { ...step, concurrency: field(concurrency, step.concurrency?.span ?? step.span) };
  });
  return { ...runbook, servers, steps, simulation: { ...runbook.simulation } };
}

/** The CLI's `--what-if hotfix`: every server a move takes mailboxes from gets the hotfix. */
export function hotfixEverySource(runbook: Runbook): WhatIf {
  const declared = new Map(
    runbook.servers.filter((server) => server.name).map((server) => [serverKey(server.name!.value), server.name!.value]),
  );
  const sources = new Set<string>();
  for (const step of runbook.steps) {
    if (step.action?.value !== 'move-mailboxes' || !step.from) continue;
    const name = declared.get(serverKey(step.from.value));
    if (name) sources.add(name);
  }
  return { hotfix: [...sources] };
}

function byKey(values: Record<string, number> | undefined): Map<string, number> {
  const map = new Map<string, number>();
  for (const [name, value] of Object.entries(values ?? {})) {
    if (typeof value === 'number' && Number.isFinite(value)) map.set(serverKey(name), value);
  }
  return map;
}

function field<T>(value: T, span: { start: number; end: number }): Field<T> {
  return { value, span: { start: span.start, end: span.end } };
}
