/**
 * Hover text (Markdown: the product's own texts as written, every piece of runbook text escaped):
 * rule explanations, a server's state at a step, KB ids, field descriptions and assumed defaults.
 */
import type { RunbookDiagnostic, Span } from '../diagnostics';
import { formatClock, formatMinutes, formatOffset } from '../format/duration';
import type { Analysis } from '../lint';
import { ASSUMPTION_DESCRIPTIONS, withAssumptions, type Assumptions } from '../model/assumptions';
import { ACTION_TABLE } from '../model/actions';
import { FLUSH_TIMEOUT_MINUTES, KNOWN_KBS, servicePackLabel } from '../model/facts';
import { isExchange2003Sp2, mtaDisabled, statesThroughSteps, type StateTimeline } from '../model/state';
import { serverKey, type ActionName, type MaintenanceWindow, type ServerDecl, type ServerState, type Step } from '../model/types';
import { describeWindow, windowDeclaresTimes, windowIntervals } from '../model/window';
import { ruleDocPath, ruleInfo } from '../rules';
import { databaseStateLines, serverFlushVerdict } from './databaseHover';
import { describeMailboxList } from '../rules/exr009';
import { FACTS } from './facts';
import { escapeMarkdown } from './markdown';
import { fieldSchema, nodeAt, typeLabel, type NodeHit } from './yamlPath';

export interface HoverResult {
  /** Markdown; every piece of runbook text in it is escaped. */
  contents: string;
  span: Span;
}

export interface HoverOptions {
  /** The diagnostics shown now (after settings and suppressions); rule explanations hover on them. */
  diagnostics?: readonly RunbookDiagnostic[];
  /** The link to a rule's page; default the path inside the extension. */
  ruleDocLink?: (code: string) => string;
}

const SERVER_FIELDS = new Set(['server', 'from', 'to']);

export function hover(analysis: Analysis, offset: number, options: HoverOptions = {}): HoverResult | undefined {
  // The answer first (the state card, the field, the step's times), then one line per rule that
  // fires here with a link to its page: the diagnostics themselves the editor shows already.
  const sections: string[] = [];
  let span: Span | undefined;
  // A code in a comment (`# exrunbook-disable-next-line EXR001`): the whole rule, facts included.
  const named = codeInComment(analysis.parsed.text, offset);
  if (named) {
    const text = ruleSection(named.code, options.ruleDocLink ?? ruleDocPath);
    if (text) return { contents: text, span: named.span };
  }
  const hit = hitAt(analysis, offset);
  if (hit) {
    const text = nodeSection(analysis, hit);
    if (text) {
      sections.push(text);
      span = { start: hit.start, end: hit.end };
    }
  }
  const rules: string[] = [];
  for (const diagnostic of options.diagnostics ?? []) {
    if (diagnostic.span.start <= offset && offset <= diagnostic.span.end) {
      const text = ruleLine(diagnostic.code, options.ruleDocLink ?? ruleDocPath);
      if (text && !rules.includes(text)) rules.push(text);
      span ??= diagnostic.span;
    }
  }
  if (rules.length > 0) sections.push(rules.join('  \n'));
  return sections.length > 0 && span ? { contents: sections.join('\n\n---\n\n'), span } : undefined;
}

/** The node at `offset`: from the one piece of text around it when the analysis has pieces (no whole-text parse). */
function hitAt(analysis: Analysis, offset: number): NodeHit | undefined {
  const piece = analysis.parsed.pieceAt?.(offset);
  if (piece === 'none') return undefined;
  if (!piece) return nodeAt(analysis.parsed.doc, offset);
  const hit = nodeAt(piece.doc, offset);
  return hit && { ...hit, path: piece.rootPath(hit.path) };
}

/** The rule code under the offset when it sits in a comment. */
function codeInComment(text: string, offset: number): { code: string; span: Span } | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  const line = text.slice(lineStart, newline < 0 ? text.length : newline);
  const comment = /(^|\s)#/.exec(line);
  if (!comment) return undefined;
  for (const match of line.matchAll(/EXR\d{3}/g)) {
    const start = lineStart + match.index;
    if (match.index > comment.index && start <= offset && offset <= start + match[0].length)
      return { code: match[0], span: { start, end: start + match[0].length } };
  }
  return undefined;
}

/** One line: the rule's code and title, and its page. */
export function ruleLine(code: string, docLink: (code: string) => string): string | undefined {
  const rule = ruleInfo(code);
  return rule ? `**${rule.code}**: ${rule.title}. [Rule page](${docLink(code)})` : undefined;
}

/** A rule's title, explanation, the facts it rests on and its page. */
export function ruleSection(code: string, docLink: (code: string) => string): string | undefined {
  const rule = ruleInfo(code);
  if (!rule) return undefined;
  const lines = [`**${rule.code}**: ${rule.title}`, '', rule.explanation];
  const facts = rule.facts.map((id) => FACTS[id]).filter((fact) => fact !== undefined);
  if (facts.length > 0) {
    lines.push('', 'Rests on:');
    for (const fact of facts) lines.push(`- ${fact.id}: ${fact.text} _(${fact.source})_`);
  }
  lines.push('', `[Rule documentation](${docLink(code)})`);
  return lines.join('\n');
}

function nodeSection(analysis: Analysis, hit: NodeHit): string | undefined {
  const { runbook } = analysis;
  const [root, index, field, itemIndex] = hit.path;
  const step = root === 'steps' && typeof index === 'number' ? runbook.steps[index] : undefined;
  const server = root === 'servers' && typeof index === 'number' ? runbook.servers.find((s) => s.index === index) : undefined;
  const assumptions = analysis.context?.assumptions ?? withAssumptions();
  const parts: string[] = [];

  if (hit.part !== 'key' && typeof hit.value === 'string') {
    if (step && typeof field === 'string' && SERVER_FIELDS.has(field) && hit.path.length === 3) {
      parts.push(serverAtStep(analysis, timeline(analysis), step, hit.value));
    } else if (server && field === 'name' && hit.path.length === 3) {
      const state = timeline(analysis).before[0]?.get(serverKey(hit.value)) ?? timeline(analysis).after.get(serverKey(hit.value));
      parts.push(
        state
          ? stateSection(`${escapeMarkdown(state.name)} in the inventory (before the first step)`, state, analysis)
          : `Server ${escapeMarkdown(hit.value)}`,
      );
    } else if ((step && field === 'hotfix') || (server && field === 'hotfixes' && typeof itemIndex === 'number')) {
      parts.push(kbSection(hit.value));
    } else if (step && field === 'mailboxes' && itemIndex === 'file' && step.mailboxFile) {
      const set = step.mailboxes?.value;
      parts.push(
        set?.sizesMB
          ? `**${escapeMarkdown(step.mailboxFile.value)}**: ${escapeMarkdown(describeMailboxList(set.sizesMB, set.names))}.`
          : `**${escapeMarkdown(step.mailboxFile.value)}**: not read (see the diagnostic).`,
      );
    } else if (step && field === 'action' && hit.path.length === 3) {
      parts.push(actionSection(step, hit.value, assumptions));
    }
  } else if (hit.part === 'key') {
    const schema = fieldSchema(hit.path, (i) => runbook.steps[i]?.action?.value);
    const key = String(hit.path[hit.path.length - 1]);
    if (schema)
      parts.push(`**${key}**${typeLabel(schema) ? ` (${typeLabel(schema)})` : ''}${schema.description ? `: ${schema.description}` : ''}`);
    else if (hit.path.length > 1) parts.push(`**${escapeMarkdown(key)}** is not a field here.`);
  }
  if (step && field === 'id' && hit.path.length === 3 && hit.part !== 'key') {
    const timing = stepTiming(analysis, step);
    if (timing) parts.push(timing);
  }
  if (root === 'window' && hit.path.length === 1 && runbook.window) parts.push(windowSection(analysis, runbook.window));
  // Assumed defaults show on the step's id/action and the server's name.
  if (step && hit.path.length === 3 && (field === 'id' || field === 'action')) parts.push(...stepAssumptions(step, assumptions));
  if (server && hit.path.length === 3 && field === 'name') parts.push(...serverAssumptions(server, assumptions));
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

/** When the step starts and ends in the planned schedule, and how long it takes. */
function stepTiming(analysis: Analysis, step: Step): string | undefined {
  const schedule = analysis.context?.schedule;
  const timing = schedule?.steps[step.index];
  if (!schedule || !timing) return undefined;
  const at = (minutes: number) =>
    schedule.clockOrigin !== undefined
      ? `${formatClock(schedule.clockOrigin + minutes * 60_000)} (${formatOffset(minutes)})`
      : formatOffset(minutes);
  const label = step.id ? escapeMarkdown(step.id.value) : `${step.index + 1}`;
  return [
    `**Step ${label}**${schedule.clockOrigin === undefined ? ' (times from the start of the runbook)' : ''}`,
    '',
    `- Starts: ${at(timing.start)}`,
    `- Ends: ${at(timing.end)}`,
    `- Takes: ${formatMinutes(timing.end - timing.start)}`,
    '',
    step.action?.value === 'move-mailboxes'
      ? 'As planned; under load the simulation may stretch the move (Simulate migration shows it).'
      : 'As planned.',
  ].join('\n');
}

/** The window in words, and its first intervals from the runbook's first step on (when steps have clock times). */
function windowSection(analysis: Analysis, window: MaintenanceWindow): string {
  if (!windowDeclaresTimes(window)) return 'This window gives neither `daily` times nor `intervals`: it allows any time.';
  const lines = [`**Maintenance window**: ${escapeMarkdown(describeWindow(window))}.`];
  const origin = analysis.context?.schedule.clockOrigin;
  if (origin !== undefined) {
    const upcoming = windowIntervals(window, origin, origin + 7 * 86_400_000).filter((interval) => interval.end > origin);
    if (upcoming.length > 0) {
      lines.push('', 'From the first step on:');
      for (const interval of upcoming.slice(0, 3)) lines.push(`- ${formatClock(interval.start)} to ${formatClock(interval.end)}`);
    }
  }
  return lines.join('\n');
}

function timeline(analysis: Analysis): StateTimeline {
  return analysis.context?.states ?? statesThroughSteps(analysis.runbook);
}

/** What the action does (model/actions.ts) and how long this step takes. */
function actionSection(step: Step, action: string, assumptions: Assumptions): string {
  const spec = Object.hasOwn(ACTION_TABLE, action) ? ACTION_TABLE[action as ActionName] : undefined;
  if (!spec) return `**${escapeMarkdown(action)}** is not an action (see the completion list for the actions).`;
  const lines = [`**${escapeMarkdown(action)}**: ${spec.description}`];
  const minutes = spec.minutes(step, assumptions);
  if (Number.isFinite(minutes) && minutes > 0) lines.push(`This step takes ${formatMinutes(minutes)}.`);
  // A move's duration rests on the assumed throughput, which stepAssumptions shows; the others are assumed outright.
  const assumption = spec.durationAssumption(step);
  if (assumption && assumption !== 'moveThroughputMBPerMinute') lines.push(assumed(assumption, assumptions[assumption], ' min'));
  return lines.join('\n\n');
}

function serverAtStep(analysis: Analysis, states: StateTimeline, step: Step, name: string): string {
  const state = states.before[step.index]?.get(serverKey(name));
  const label = step.id ? `step ${escapeMarkdown(step.id.value)}` : `step ${step.index + 1}`;
  if (!state) return `Server ${escapeMarkdown(name)} is not declared under servers.`;
  return stateSection(`${escapeMarkdown(state.name)} at ${label}`, state, analysis);
}

function stateSection(heading: string, state: ServerState, analysis: Analysis): string {
  const flushMinutes = analysis.runbook.simulation.flushTimeout?.value ?? FLUSH_TIMEOUT_MINUTES;
  const exchange = state.exchange === undefined ? 'unknown' : `${state.exchange}`;
  const servicePack = servicePackLabel(state.servicePack);
  const lines = [
    `**${heading}**`,
    '',
    `- Exchange: ${escapeMarkdown(exchange)} ${servicePack}`,
    `- store.exe: ${state.storeVersion ? escapeMarkdown(state.storeVersion) : 'not declared'}`,
    `- Hotfixes: ${state.hotfixes.size > 0 ? [...state.hotfixes].map(escapeMarkdown).join(', ') : 'none'}`,
    `- MTA service: ${state.mtaService}`,
    `- Gateway Out Threads: ${state.gatewayOutThreads}${state.gatewayOutThreads === 0 ? ' (0: the MTA counts as disabled, KB810489)' : ''}`,
  ];
  // Say why the MTA counts as disabled, so "Gateway Out Threads: 1" never reads as the reason.
  if (mtaDisabled(state) && state.gatewayOutThreads !== 0) lines.push(`- The MTA counts as disabled: its service is ${state.mtaService}`);
  lines.push(...databaseStateLines(state), '');
  switch (serverFlushVerdict(state)) {
    case 'hold':
      lines.push(
        `⚠ Moves off this server here are **exposed to KB924567**: each moved mailbox registers a ` +
          `transit-mail flush that holds a store task thread for ~${Math.round(flushMinutes)} minutes.`,
      );
      break;
    case 'none':
      lines.push('Moves off this server here are protected: KB924567 with Gateway Out Threads 0 registers no flush.');
      break;
    default:
      lines.push(
        isExchange2003Sp2(state)
          ? 'Moves off this server here are not exposed: the MTA runs, so each flush finishes in about a second.'
          : 'Moves off this server here are not exposed to KB924567 (it concerns Exchange 2003 SP2 only).',
      );
  }
  return lines.join('\n');
}

function kbSection(kb: string): string {
  const known = KNOWN_KBS[kb.toUpperCase()];
  if (!known) return `**${escapeMarkdown(kb)}**: not a KB this extension knows; it is recorded as installed and changes nothing else.`;
  return `**${kb.toUpperCase()}**: ${known.title}\n\n${known.summary}`;
}

function assumed(key: keyof Assumptions, value: number, unit: string): string {
  return `_Assumption:_ ${value}${unit}: ${ASSUMPTION_DESCRIPTIONS[key]}.`;
}

function stepAssumptions(step: Step, assumptions: Assumptions): string[] {
  if (step.action?.value !== 'move-mailboxes' || step.throughputMBPerMinute) return [];
  return [assumed('moveThroughputMBPerMinute', assumptions.moveThroughputMBPerMinute, ' MB/min')];
}

function serverAssumptions(server: ServerDecl, assumptions: Assumptions): string[] {
  const notes: string[] = [];
  if (!server.taskThreads) notes.push(assumed('storeTaskThreads', assumptions.storeTaskThreads, ' threads'));
  if (server.load.localDeliveryPerMinute && !server.load.deliveryServiceMs)
    notes.push(assumed('deliveryServiceMs', assumptions.deliveryServiceMs, ' ms'));
  if (server.load.owaRequestsPerMinute && !server.load.owaServiceMs) notes.push(assumed('owaServiceMs', assumptions.owaServiceMs, ' ms'));
  return notes;
}
