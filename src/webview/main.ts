/**
 * The "Simulate migration" page: receives the runbook model from the extension, runs the
 * simulator in a worker (the runbook as written, and the what-if beside it), and shows what each
 * server goes through. Every string from the runbook is set with textContent.
 */
import { ASSUMPTION_DESCRIPTIONS, type Assumptions } from '../core/model/assumptions';
import { formatMinutes } from '../core/format/duration';
import { serverKey } from '../core/model/types';
import type { WhatIf } from '../core/simulator/index';
import { stretchedSteps } from '../core/simulator/moments';
import type { SimulationResult } from '../core/simulator/result';
import {
  CHART_TITLES,
  chartsToPng,
  createServerCharts,
  QUEUE_THRESHOLD_LABEL,
  readTheme,
  type ChartTheme,
  type PngHeader,
  type PngLegendEntry,
  type ServerCharts,
  type StepBand,
} from './charts';
import { formatCount } from '../core/format/numbers';
import {
  consequenceSentence,
  describeWhatIf,
  formatTime,
  hasWhatIf,
  samplingSentence,
  serverVerdict,
  stretchSentence,
  summaryRows,
  whatIfVerdict,
} from './describe';
import { append, button, clear, el } from './dom';
import { resultsToCsv, resultsToJson } from './exportData';
import type { ExportFormat, HostToWebview, PanelState, PlansMessage, RunbookMessage, WebviewToHost } from '../protocol/panel';
import type { RunChannel, WorkerToPage } from './workerProtocol';
import { SimulationRunner } from './runner';
import { pruneWhatIf, renderWhatIfControls, whatIfChoices, type WhatIfChoices } from './whatIfControls';
import { emptyPlans, markShown, planAt, planName, renderPlans, replaceKeepingFocus, shownPlan, type PlansState } from './plans';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface RunOutcome {
  result?: SimulationResult;
  elapsedMs?: number;
  failure?: string;
  progress?: number;
  /** True while `result` is the result so far of a run still going. */
  partial?: boolean;
  /** The what-if the result belongs to (what-if channel only). */
  whatIf?: WhatIf;
}

/** The runs the page's status line and verdicts are about; plans have their own (PageState.plans). */
type PageChannel = Exclude<RunChannel, 'plan'>;

/** What is drawn dashed over the runbook as written: a plan when one is shown, else the what-if. */
interface Overlay {
  kind: 'plan' | 'whatIf';
  result: SimulationResult;
  /** "What-if" or "Plan 2": the summary table's column and the charts' series. */
  name: string;
  /** The legend's words. */
  label: string;
}

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

/** Everything the page knows, in one object: what the host sent, what the engineer chose, what ran, what is drawn. */
interface PageState {
  /** What survives a reload (vscode.setState): the what-if and the last runbook. */
  saved: PanelState;
  /** The runbook shown now. */
  message?: RunbookMessage;
  choices?: WhatIfChoices;
  /** The what-if controls are rebuilt only when this changes, so typing in a field keeps its focus. */
  controlsSignature: string;
  outcomes: Record<PageChannel, RunOutcome>;
  /** "Find a safe plan": the search, its answer, the plan on the charts and each plan's simulation. */
  plans: PlansState;
  /** One per server, in the order of the result; their charts get new data in place. */
  serverViews: ServerView[];
  /** Set by a new runbook until its first chart is drawn (a performance mark for the benchmark). */
  awaitingFirstChart: boolean;
  /** Why the what-if fields on screen are not a what-if (a value out of range): no what-if verdict while any. */
  invalidWhatIf: string[];
  /** The document version an "applied" notice belongs to: a later version hides it. */
  noticeVersion?: number;
  /** The "Assumed numbers" section stays as the engineer left it when results come in. */
  assumedOpen: boolean;
}

/** A server's section: the parts refilled when a new result comes, and its charts. */
interface ServerView {
  server: string;
  consequence: HTMLElement;
  /** The legend entry of the what-if line, hidden while there is none. */
  alternativeLegend: HTMLElement;
  alternativeLabel: HTMLElement;
  chartBox: HTMLElement;
  readout: HTMLElement;
  table: HTMLElement;
  charts?: ServerCharts;
}

const page: PageState = {
  saved: vscode.getState() ?? { whatIf: {} },
  controlsSignature: '',
  outcomes: { baseline: {}, whatIf: {} },
  plans: emptyPlans(),
  serverViews: [],
  awaitingFirstChart: false,
  invalidWhatIf: [],
  assumedOpen: false,
};

const ASSUMED_ID = 'assumed-numbers';

// ---- the page skeleton: built once; its parts are refilled as results come ----
const title = el('h1', { class: 'title' });
const subtitle = el('p', { class: 'subtitle' });
const exportButtons = (['csv', 'json', 'png'] as ExportFormat[]).map((format) => {
  const labels = { csv: 'CSV', json: 'JSON', png: 'PNG' };
  const exportButton = button(labels[format], {
    icon: format === 'png' ? 'file-media' : 'export',
    secondary: true,
    title: `Save the ${format === 'png' ? 'charts' : 'result'} as ${labels[format]}`,
  });
  exportButton.disabled = true;
  exportButton.addEventListener('click', () => exportAs(format));
  return exportButton;
});
const toolbar = el(
  'div',
  { class: 'toolbar', role: 'toolbar', 'aria-label': 'Export' },
  el('span', { class: 'toolbar-label' }, 'Export'),
  ...exportButtons,
);
const progress = el('progress', { class: 'progress', max: 1, 'aria-label': 'Simulation progress' });
const status = el('p', { class: 'status', role: 'status' });
const problems = el('section', { class: 'problems', hidden: true, 'aria-label': 'Problems that stop the simulation' });
const notice = el('p', { class: 'notice', role: 'alert', hidden: true });
const verdicts = el('section', { class: 'verdicts', 'aria-label': 'Verdict' });
const controls = el('section', { class: 'controls', 'aria-label': 'What-if controls' });
const plansSection = el('section', { class: 'plans', 'aria-label': 'Plans' });
const servers = el('section', { class: 'servers' });
const details = el('section', { class: 'details' });

clear(app);
app.append(
  el('header', { class: 'header' }, el('div', { class: 'heading' }, title, subtitle), toolbar),
  progress,
  status,
  problems,
  notice,
  verdicts,
  controls,
  plansSection,
  servers,
  details,
);
progress.hidden = true;

// The list is rebuilt as plans are simulated; a row removed under the pointer never hears it leave,
// so leaving the section ends a hover too (unless the keyboard focus is on a plan).
plansSection.addEventListener('mouseleave', () => {
  if (page.plans.hovered !== undefined && !plansSection.contains(document.activeElement)) showPlan(undefined, true);
});

const workerUri = app.dataset.workerUri ?? '';
const runner = new SimulationRunner(workerUri, onWorkerMessage, (reason) => {
  setStatus(`The simulation cannot run: ${reason}.`);
  progress.hidden = true;
});

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const data = event.data;
  if (!data || typeof data !== 'object') return;
  if (data.type === 'runbook') onRunbook(data);
  else if (data.type === 'notice') showNotice(data.level, data.message, data.documentVersion);
  else if (data.type === 'planProgress') {
    page.plans.progress = { searched: data.searched, candidates: data.candidates, found: data.found };
    renderPlansSection();
  } else if (data.type === 'plans') onPlans(data);
});

// VS Code changes the body class and the --vscode-* variables when the theme changes: redraw.
const themeObserver = new MutationObserver(() => renderServers(true));
themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });

if (page.saved.lastRunbook) onRunbook(page.saved.lastRunbook);
vscode.postMessage({ type: 'ready' });

// ---- messages ----

function onRunbook(next: RunbookMessage): void {
  performance.mark('exrunbook:runbook-received');
  // "Undo it with Ctrl+Z" is about the edit that made that version; after a later edit it misleads.
  if (page.noticeVersion !== undefined && next.documentVersion > page.noticeVersion) hideNotice();
  page.awaitingFirstChart = true;
  page.message = next;
  title.textContent = next.runbook.name?.value ?? next.fileName;
  subtitle.textContent = next.runbook.name ? next.fileName : '';
  page.choices = whatIfChoices(next.runbook, next.assumptions);
  page.saved = {
    ...page.saved,
    documentUri: next.documentUri,
    whatIf: pruneWhatIf(page.saved.whatIf, page.choices),
    lastRunbook: next,
  };
  vscode.setState(page.saved);
  renderProblems(next);
  renderControls();
  // Plans found for another version are not plans for this one (an applied plan included).
  const answered = page.plans.answer;
  if (answered && answered.documentVersion !== next.documentVersion) dropPlans();
  renderPlansSection();
  if (!next.simulatable) {
    runner.cancel('baseline');
    runner.cancel('whatIf');
    progress.hidden = true;
    servers.classList.toggle('stale', page.outcomes.baseline.result !== undefined);
    setStatus(page.outcomes.baseline.result ? 'Showing the last version of the runbook that could be simulated.' : '');
    return;
  }
  servers.classList.remove('stale');
  startRun('baseline');
  if (hasWhatIf(page.saved.whatIf) && page.invalidWhatIf.length === 0) startRun('whatIf');
  else clearWhatIf();
}

function startRun(channel: PageChannel): void {
  if (!page.message) return;
  const whatIf = channel === 'whatIf' ? page.saved.whatIf : undefined;
  runner.run(channel, { runbook: page.message.runbook, whatIf, assumptions: page.message.assumptions, maxEvents: page.message.maxEvents });
  page.outcomes[channel] = { ...page.outcomes[channel], progress: 0, failure: undefined };
  showProgress();
}

function clearWhatIf(): void {
  runner.cancel('whatIf');
  page.outcomes.whatIf = {};
  renderResults();
}

function onWorkerMessage(reply: WorkerToPage): void {
  if (reply.channel === 'plan') {
    onPlanRun(reply);
    return;
  }
  const outcome = page.outcomes[reply.channel];
  if (reply.type === 'progress') {
    outcome.progress = reply.progress;
    showProgress();
    return;
  }
  const whatIf = reply.channel === 'whatIf' ? page.saved.whatIf : undefined;
  if (reply.type === 'partial') {
    // The result so far is drawn only where there is nothing better to show: a finished result of
    // the previous version stays until the new one is done, so editing does not make charts jump.
    const shown =
      outcome.result && !outcome.partial && (reply.channel === 'baseline' || JSON.stringify(outcome.whatIf) === JSON.stringify(whatIf));
    outcome.progress = reply.progress;
    if (!shown) page.outcomes[reply.channel] = { result: reply.result, partial: true, progress: reply.progress, whatIf };
    showProgress();
    if (!shown) renderResults();
    return;
  }
  if (reply.type === 'result') {
    page.outcomes[reply.channel] = { result: reply.result, elapsedMs: reply.elapsedMs, whatIf };
  } else {
    page.outcomes[reply.channel] = {
      ...outcome,
      progress: undefined,
      failure: reply.message,
      result: reply.kind === 'cancelled' ? outcome.result : undefined,
    };
  }
  showProgress();
  renderResults();
}

function showProgress(): void {
  const running = (['baseline', 'whatIf'] as PageChannel[]).filter((channel) => page.outcomes[channel].progress !== undefined);
  progress.hidden = running.length === 0;
  if (running.length > 0) {
    const fraction = Math.min(...running.map((channel) => page.outcomes[channel].progress ?? 0));
    progress.value = fraction;
    setStatus(
      `Simulating${running.includes('whatIf') && !running.includes('baseline') ? ' the what-if' : ''}… ${Math.round(fraction * 100)} %`,
    );
  }
}

function setStatus(text: string): void {
  status.textContent = text;
}

function showNotice(level: 'info' | 'error', text: string, documentVersion?: number): void {
  notice.textContent = text;
  notice.className = `notice ${level}`;
  notice.hidden = false;
  page.noticeVersion = documentVersion;
}

function hideNotice(): void {
  notice.hidden = true;
  notice.textContent = '';
  page.noticeVersion = undefined;
}

// ---- rendering ----

function renderProblems(next: RunbookMessage): void {
  clear(problems);
  problems.hidden = next.simulatable;
  if (next.simulatable) return;
  const count = next.errorCount === 1 ? 'an error' : `${next.errorCount} errors`;
  const list = el(
    'ul',
    {},
    ...next.blockingProblems.map((problem) =>
      el('li', {}, `Line ${problem.line + 1}: `, problem.message, ' ', el('span', { class: 'hint' }, `(${problem.code})`)),
    ),
  );
  const show = button('Show Problems', { icon: 'warning' });
  show.addEventListener('click', () => vscode.postMessage({ type: 'showProblems' }));
  problems.append(
    el(
      'p',
      { class: 'problems-title' },
      el('span', { class: 'codicon codicon-error', 'aria-hidden': 'true' }),
      `The runbook has ${count} that ${next.errorCount === 1 ? 'stops' : 'stop'} the simulation. Fix ${next.errorCount === 1 ? 'it' : 'them'} and the simulation runs again.`,
    ),
    list,
    show,
  );
}

function renderControls(): void {
  if (!page.choices) return;
  // Rebuild only when the runbook's shape changes, so typing in a field keeps its focus.
  const signature = JSON.stringify([page.choices, page.saved.whatIf]);
  if (signature === page.controlsSignature) return;
  page.controlsSignature = signature;
  page.invalidWhatIf = [];
  clear(controls);
  controls.append(
    renderWhatIfControls(
      page.choices,
      page.saved.whatIf,
      (whatIf) => {
        page.saved = { ...page.saved, whatIf };
        page.controlsSignature = JSON.stringify([page.choices, page.saved.whatIf]);
        vscode.setState(page.saved);
        // While a field is invalid the what-if on screen is not this one: run it once it is fixed.
        if (!page.message?.simulatable || page.invalidWhatIf.length > 0) return;
        if (hasWhatIf(whatIf)) startRun('whatIf');
        else clearWhatIf();
      },
      (change) => {
        if (page.message) vscode.postMessage({ type: 'apply', documentUri: page.message.documentUri, change });
      },
      (problems) => {
        page.invalidWhatIf = problems;
        if (problems.length > 0) {
          runner.cancel('whatIf');
          page.outcomes.whatIf = {};
          showProgress();
        }
        renderResults();
      },
    ),
  );
  const reset = button('Reset what-if', { icon: 'discard', secondary: true });
  reset.addEventListener('click', () => {
    page.saved = { ...page.saved, whatIf: {} };
    vscode.setState(page.saved);
    page.controlsSignature = '';
    renderControls();
    clearWhatIf();
  });
  controls.append(reset);
}

/** The dashed run on the charts: the plan shown (hovered, focused or chosen) once simulated, else the what-if. */
function currentOverlay(): Overlay | undefined {
  const index = shownPlan(page.plans);
  const planResult = index === undefined ? undefined : page.plans.runs[index]?.result;
  if (index !== undefined && planResult) {
    const plan = planAt(page.plans.answer, index);
    const name = planName(index);
    return { kind: 'plan', result: planResult, name, label: plan ? `${name}: ${plan.changes.join('; ') || 'as written'}` : name };
  }
  const alternative = currentAlternative();
  return alternative && { kind: 'whatIf', result: alternative, name: 'What-if', label: `What-if: ${describeWhatIf(page.saved.whatIf)}` };
}

/** The what-if result, when it belongs to the what-if now chosen. */
function currentAlternative(): SimulationResult | undefined {
  const outcome = page.outcomes.whatIf;
  if (!outcome.result || !hasWhatIf(page.saved.whatIf) || page.invalidWhatIf.length > 0) return undefined;
  return JSON.stringify(outcome.whatIf) === JSON.stringify(page.saved.whatIf) ? outcome.result : undefined;
}

function renderResults(): void {
  const baseline = page.outcomes.baseline.result;
  for (const exportButton of exportButtons) exportButton.disabled = baseline === undefined || page.outcomes.baseline.partial === true;
  renderVerdicts();
  renderServers();
  renderDetails();
  if (page.outcomes.baseline.progress === undefined && page.outcomes.whatIf.progress === undefined) {
    const failure = page.outcomes.baseline.failure ?? page.outcomes.whatIf.failure;
    if (failure) setStatus(`The simulation stopped: ${failure}`);
    else if (baseline) setStatus(`Simulated ${formatMinutes(baseline.duration)} of runbook time.`);
  }
}

function renderVerdicts(): void {
  clear(verdicts);
  const baseline = page.outcomes.baseline.result;
  if (!baseline) return;
  const list = el('ul', { class: 'verdict-list' });
  const partial = page.outcomes.baseline.partial === true;
  for (const { summary } of Object.values(baseline.servers)) {
    const bad = summary.exhaustedAt !== null;
    // While the run goes on, "never" is not known yet; an exhaustion already seen is final.
    const words = !bad && partial ? `${summary.server}: no exhaustion so far…` : serverVerdict(baseline, summary);
    const iconName = bad ? 'error' : partial ? 'loading' : 'pass';
    list.append(
      el(
        'li',
        { class: bad ? 'verdict bad' : partial ? 'verdict pending' : 'verdict good' },
        el('span', { class: `codicon codicon-${iconName}${partial && !bad ? ' codicon-modifier-spin' : ''}`, 'aria-hidden': 'true' }),
        words,
      ),
    );
  }
  verdicts.append(list);
  const assumedLine = assumptionsLine(baseline);
  if (assumedLine) verdicts.append(assumedLine);
  const stretched = partial ? null : stretchSentence(baseline);
  if (stretched)
    verdicts.append(el('p', { class: 'stretch' }, el('span', { class: 'codicon codicon-watch', 'aria-hidden': 'true' }), stretched));
  const alternative = currentAlternative();
  if (page.invalidWhatIf.length > 0) {
    verdicts.append(
      el(
        'p',
        { class: 'what-if-verdict invalid', role: 'alert' },
        el('span', { class: 'codicon codicon-error', 'aria-hidden': 'true' }),
        `The what-if is not simulated: ${page.invalidWhatIf.join('; ')}.`,
      ),
    );
  } else if (alternative && (page.outcomes.whatIf.partial || partial)) {
    verdicts.append(
      el(
        'p',
        { class: 'what-if-verdict' },
        el('span', { class: 'codicon codicon-beaker', 'aria-hidden': 'true' }),
        `With ${describeWhatIf(page.saved.whatIf)}: simulating…`,
      ),
    );
  } else if (alternative) {
    const fixed = Object.values(alternative.servers).every((server) => server.summary.exhaustedAt === null);
    verdicts.append(
      el(
        'p',
        { class: `what-if-verdict ${fixed ? 'good' : 'bad'}` },
        el('span', { class: 'codicon codicon-beaker', 'aria-hidden': 'true' }),
        whatIfVerdict(page.saved.whatIf, baseline, alternative),
      ),
    );
  } else if (hasWhatIf(page.saved.whatIf) && page.outcomes.whatIf.failure) {
    verdicts.append(
      el(
        'p',
        { class: 'what-if-verdict bad' },
        `With ${describeWhatIf(page.saved.whatIf)}: the simulation stopped: ${page.outcomes.whatIf.failure}`,
      ),
    );
  }
}

function stepBands(server: string): StepBand[] {
  const baseline = page.outcomes.baseline.result;
  if (!baseline || !page.message) return [];
  const key = serverKey(server);
  return baseline.steps
    .filter((step) => {
      const model = page.message!.runbook.steps[step.index];
      const names = [model?.server, model?.from, model?.to].filter((field) => field !== undefined).map((field) => serverKey(field!.value));
      return names.includes(key) && step.end > step.start;
    })
    .map((step) => ({ id: step.id, start: step.start, end: step.end, focused: step.index === page.message!.focusStepIndex }));
}

/**
 * Fills one section per server. While the servers stay the same (a run streaming in, a what-if
 * added), the sections are refilled and their charts get the new data in place; `rebuild` (a theme
 * change) draws new charts.
 */
function renderServers(rebuild = false): void {
  const baseline = page.outcomes.baseline.result;
  const names = baseline ? Object.values(baseline.servers).map(({ summary }) => summary.server) : [];
  const sameServers = names.length === page.serverViews.length && names.every((name, i) => page.serverViews[i].server === name);
  if (rebuild || !sameServers) {
    for (const view of page.serverViews) view.charts?.destroy();
    page.serverViews = [];
    clear(servers);
  }
  if (!baseline) return;
  const overlay = currentOverlay();
  const alternative = overlay?.result;
  let theme: ChartTheme | undefined;
  for (const [index, { summary }] of Object.values(baseline.servers).entries()) {
    const view = (page.serverViews[index] ??= serverView(summary.server));
    view.consequence.textContent = consequenceSentence(summary, baseline) ?? '';
    view.consequence.hidden = view.consequence.textContent === '';
    view.alternativeLegend.hidden = overlay === undefined;
    view.alternativeLabel.textContent = overlay?.label ?? '';
    const table = summaryTable(baseline, summary.server, overlay);
    view.table.replaceWith(table);
    view.table = table;
    const data = { server: summary.server, baseline, alternative, alternativeName: overlay?.name, steps: stepBands(summary.server) };
    if (view.charts?.update(data)) {
      chartDrawn();
      continue;
    }
    view.charts?.destroy();
    clear(view.chartBox);
    theme ??= readTheme();
    view.charts = createServerCharts(
      view.chartBox,
      { ...data, theme, readout: view.readout },
      page.awaitingFirstChart ? chartDrawn : undefined,
    );
  }
}

/** A server's section with empty parts for renderServers to fill. */
function serverView(server: string): ServerView {
  const section = el('article', { class: 'server' });
  const alternativeLabel = el('span');
  const alternativeLegend = el('li', {}, el('span', { class: 'swatch alternative', 'aria-hidden': 'true' }), alternativeLabel);
  const legend = el(
    'ul',
    { class: 'legend', 'aria-label': 'Chart legend' },
    ...(
      [
        ['delivery', 'Local delivery'],
        ['owa', 'OWA'],
        ['move', 'Mailbox moves'],
        ['flush', 'Transit-mail flushes'],
        ['pool', 'Thread pool'],
        ['threshold', QUEUE_THRESHOLD_LABEL],
      ] as const
    ).map(([kind, label]) => el('li', {}, el('span', { class: `swatch ${kind}`, 'aria-hidden': 'true' }), label)),
    alternativeLegend,
  );
  const view: ServerView = {
    server,
    consequence: el('p', { class: 'consequence' }),
    alternativeLegend,
    alternativeLabel,
    chartBox: el('div', { class: 'charts' }),
    readout: el('p', { class: 'readout', 'aria-live': 'off' }),
    table: el('table'),
  };
  section.append(
    el('h2', {}, el('span', { class: 'codicon codicon-server', 'aria-hidden': 'true' }), server),
    view.consequence,
    legend,
    view.chartBox,
    view.readout,
    view.table,
  );
  servers.append(section);
  return view;
}

/** Marks the first chart drawn for a new runbook (bench/webview-first-chart reads the mark). */
function chartDrawn(): void {
  if (!page.awaitingFirstChart) return;
  page.awaitingFirstChart = false;
  performance.mark('exrunbook:first-chart');
}

function summaryTable(baseline: SimulationResult, server: string, overlay: Overlay | undefined): HTMLElement {
  const alternative = overlay?.result;
  const rows = summaryRows(baseline, baseline.servers[server].summary);
  const altSummary = alternative?.servers[server]?.summary;
  const altRows = alternative && altSummary ? summaryRows(alternative, altSummary) : undefined;
  const head = el(
    'tr',
    {},
    el('th', { scope: 'col' }, 'Summary'),
    el('th', { scope: 'col' }, 'As written'),
    altRows ? el('th', { scope: 'col' }, overlay!.name) : null,
  );
  const body = rows.map(([label, value], i) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, label),
      el('td', {}, value),
      altRows ? el('td', { class: altRows[i][1] !== value ? 'changed' : undefined }, altRows[i][1]) : null,
    ),
  );
  return el(
    'table',
    { class: 'summary' },
    el('caption', { class: 'visually-hidden' }, `Summary for ${server}`),
    el('thead', {}, head),
    el('tbody', {}, ...body),
  );
}

function renderDetails(): void {
  clear(details);
  const baseline = page.outcomes.baseline.result;
  if (!baseline || !page.message) return;
  const steps = el(
    'table',
    { class: 'steps' },
    el(
      'thead',
      {},
      el('tr', {}, ...['Step', 'Action', 'Starts', 'Ends', 'Took (planned)', ''].map((text) => el('th', { scope: 'col' }, text))),
    ),
  );
  const body = el('tbody');
  const stretchedIds = new Set(stretchedSteps(baseline).map((entry) => entry.step.index));
  for (const step of baseline.steps) {
    const go = button('Go to', { icon: 'go-to-file', secondary: true, title: `Show step ${step.id} in the editor` });
    go.addEventListener('click', () =>
      vscode.postMessage({ type: 'revealStep', documentUri: page.message!.documentUri, stepIndex: step.index }),
    );
    body.append(
      el(
        'tr',
        {},
        el('td', {}, step.id),
        el('td', {}, step.action),
        el('td', {}, formatTime(baseline, step.start)),
        el('td', {}, formatTime(baseline, step.end)),
        el(
          'td',
          { class: stretchedIds.has(step.index) ? 'stretched' : undefined },
          `${formatMinutes(step.end - step.start)}${step.completed ? '' : ' so far'} (${formatMinutes(step.planned)})`,
        ),
        el('td', {}, go),
      ),
    );
  }
  steps.append(body);
  const assumed = el(
    'table',
    { class: 'assumed' },
    el('caption', { class: 'visually-hidden' }, 'Numbers this simulation assumed'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Value'), el('th', { scope: 'col' }, 'What it is, and where to set your own'))),
    el(
      'tbody',
      {},
      ...baseline.assumptions.assumed.map((key) => {
        const value = baseline.assumptions.values[key as keyof Assumptions];
        const description = ASSUMPTION_DESCRIPTIONS[key as keyof Assumptions] ?? key;
        return el('tr', {}, el('td', {}, formatCount(value ?? 0)), el('td', {}, ...withCode(description)));
      }),
    ),
  );
  const sampling = samplingSentence(baseline);
  const elapsed = page.outcomes.baseline.elapsedMs;
  const run =
    `Seed ${baseline.seed}, ${formatCount(baseline.events)} events` +
    (elapsed === undefined ? '.' : `, simulated in ${formatCount(elapsed)} ms.`);
  append(
    details,
    sampling ? el('p', {}, sampling) : null,
    el('p', { class: 'run-details' }, run),
    baseline.assumptions.assumed.length
      ? el(
          'details',
          { id: ASSUMED_ID, open: page.assumedOpen },
          el('summary', {}, `Assumed numbers (${baseline.assumptions.assumed.length})`),
          el(
            'p',
            { class: 'hint' },
            'No source gives these numbers; the prediction depends on them. Set your own in the runbook or the settings.',
          ),
          assumed,
        )
      : null,
    el('details', {}, el('summary', {}, 'Steps'), steps),
  );
  details.querySelector<HTMLDetailsElement>(`#${ASSUMED_ID}`)?.addEventListener('toggle', (event) => {
    page.assumedOpen = (event.target as HTMLDetailsElement).open;
  });
}

// ---- plans ----

function renderPlansSection(): void {
  replaceKeepingFocus(
    plansSection,
    renderPlans(
      page.plans,
      {
        find: findPlans,
        cancel: () => vscode.postMessage({ type: 'cancelPlans' }),
        apply: applyPlan,
        show: showPlan,
      },
      page.message?.simulatable === true,
    ),
  );
}

function findPlans(): void {
  if (!page.message) return;
  dropPlans();
  page.plans.searching = true;
  vscode.postMessage({ type: 'findPlans', documentUri: page.message.documentUri });
  renderPlansSection();
}

function onPlans(answer: PlansMessage): void {
  dropPlans();
  // A search that ran while the runbook changed found plans for a version that is gone.
  page.plans.answer =
    page.message && answer.documentVersion < page.message.documentVersion
      ? {
          type: 'plans',
          documentVersion: page.message.documentVersion,
          problem: 'The runbook changed during the search; find a safe plan again.',
        }
      : answer;
  renderPlansSection();
}

/** Forgets the plans (their charts included) and stops simulating them. */
function dropPlans(): void {
  const hadOverlay = shownPlan(page.plans) !== undefined;
  runner.cancel('plan');
  page.plans = emptyPlans();
  if (hadOverlay) renderServers();
}

function applyPlan(index: number): void {
  const answer = page.plans.answer;
  if (!answer || !page.message) return;
  vscode.postMessage({ type: 'applyPlan', documentUri: page.message.documentUri, documentVersion: answer.documentVersion, index });
}

/** A plan hovered, focused or chosen: its row marked, its series dashed on the charts (simulated first, in the worker). */
function showPlan(index: number | undefined, hover: boolean): void {
  const before = shownPlan(page.plans);
  const wasSelected = page.plans.selected;
  if (hover) page.plans.hovered = index;
  else page.plans.selected = index;
  const shown = shownPlan(page.plans);
  markShown(plansSection, shown);
  startPlanRun();
  if (!hover && wasSelected !== page.plans.selected) renderPlansSection();
  if (shown !== before) renderServers();
}

/** Simulates the plan shown, unless it has been (one plan at a time: a newer one replaces it). */
function startPlanRun(): void {
  const index = shownPlan(page.plans);
  if (index === undefined || page.plans.runs[index] || !page.message) return;
  const runbook = planAt(page.plans.answer, index)?.runbook;
  if (!runbook) return;
  if (page.plans.running !== undefined && !page.plans.runs[page.plans.running]?.done) delete page.plans.runs[page.plans.running];
  page.plans.running = index;
  page.plans.runs[index] = { done: false };
  runner.run('plan', { runbook, assumptions: page.message.assumptions, maxEvents: page.message.maxEvents });
  renderPlansSection();
}

function onPlanRun(reply: WorkerToPage): void {
  const index = page.plans.running;
  if (index === undefined || reply.type === 'progress' || reply.type === 'partial') return;
  page.plans.running = undefined;
  page.plans.runs[index] =
    reply.type === 'result' ? { done: true, result: reply.result } : { done: true, failure: `Not simulated: ${reply.message}` };
  renderPlansSection();
  if (shownPlan(page.plans) === index) renderServers();
  startPlanRun();
}

// ---- export ----

function exportAs(format: ExportFormat): void {
  const baseline = page.outcomes.baseline.result;
  if (!baseline || !page.message) return;
  const alternative = currentAlternative();
  const stem = page.message.fileName.replace(/\.runbook\.ya?ml$|\.ya?ml$/i, '') + '.simulation';
  let content: string;
  if (format === 'csv') {
    const runs = [{ label: 'as written', result: baseline }];
    if (alternative) runs.push({ label: `what-if: ${describeWhatIf(page.saved.whatIf)}`, result: alternative });
    content = resultsToCsv(runs);
  } else if (format === 'json') {
    content = resultsToJson(
      baseline,
      alternative ? { settings: page.saved.whatIf, label: describeWhatIf(page.saved.whatIf), result: alternative } : undefined,
    );
  } else {
    const foreground = getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#cccccc';
    const theme = readTheme();
    content = chartsToPng(
      pngHeader(baseline, currentOverlay(), theme),
      page.serverViews.map((view) => ({
        title: view.server,
        charts: (view.charts?.canvases ?? []).map((canvas, i) => ({ title: CHART_TITLES[i] ?? '', canvas })),
      })),
      theme,
      foreground,
    );
  }
  vscode.postMessage({ type: 'export', format, suggestedName: `${stem}.${format}`, content });
}

/**
 * What the exported PNG says besides the charts: the panel's title, its verdict lines, the legend
 * (naming the dashed run the charts show: the what-if or a plan), the run's details.
 */
function pngHeader(baseline: SimulationResult, overlay: Overlay | undefined, theme: ChartTheme): PngHeader {
  const alternative = overlay?.kind === 'whatIf' ? overlay.result : undefined;
  const verdictLines = Object.values(baseline.servers).map(({ summary }) => serverVerdict(baseline, summary));
  const stretched = stretchSentence(baseline);
  if (stretched) verdictLines.push(stretched);
  if (alternative) verdictLines.push(whatIfVerdict(page.saved.whatIf, baseline, alternative));
  const legend: PngLegendEntry[] = [
    { label: 'Local delivery', color: theme.delivery, kind: 'fill' },
    { label: 'OWA', color: theme.owa, kind: 'fill' },
    { label: 'Mailbox moves', color: theme.move, kind: 'fill' },
    { label: 'Transit-mail flushes', color: theme.flush, kind: 'fill' },
    { label: 'Thread pool', color: theme.pool, kind: 'line' },
    { label: 'Local delivery queue', color: theme.queue, kind: 'fill' },
    { label: QUEUE_THRESHOLD_LABEL, color: theme.threshold, kind: 'dashed' },
    { label: 'Out of threads', color: theme.exhaustion, kind: 'line' },
  ];
  if (overlay) legend.push({ label: overlay.label, color: theme.whatIf, kind: 'dashed' });
  const when = baseline.clockOrigin === null ? '' : `, from ${formatTime(baseline, 0)}`;
  return {
    title: title.textContent ?? '',
    subtitle: subtitle.textContent ?? '',
    verdicts: verdictLines,
    legend,
    footer:
      `Simulated ${formatMinutes(baseline.duration)} of runbook time${when}; seed ${baseline.seed}, ${formatCount(baseline.events)} events.` +
      (samplingSentence(baseline) ? ` ${samplingSentence(baseline)}` : ''),
  };
}

/** Text with `code` spans as <code> elements (descriptions are written with backticks). */
function withCode(text: string): (string | HTMLElement)[] {
  return text.split(/`([^`]+)`/).map((part, i) => (i % 2 === 1 ? el('code', {}, part) : part));
}

/**
 * The assumed numbers the verdict rests on, named right under it (the event budget is a limit of
 * the tool, not a claim about Exchange), with a link to the full list and where to set each.
 */
function assumptionsLine(baseline: SimulationResult): HTMLElement | null {
  const keys = baseline.assumptions.assumed.filter((key) => key !== 'maxEvents') as (keyof Assumptions)[];
  if (keys.length === 0) return null;
  const named = keys.map((key) => {
    const description = ASSUMPTION_DESCRIPTIONS[key] ?? key;
    return `${formatCount(baseline.assumptions.values[key] ?? 0)} ${description.replace(/\s*\(.*$/, '')}`;
  });
  const show = el('a', { href: `#${ASSUMED_ID}`, class: 'assumed-link' }, 'where to set them');
  show.addEventListener('click', (event) => {
    event.preventDefault();
    const section = document.getElementById(ASSUMED_ID) as HTMLDetailsElement | null;
    if (!section) return;
    section.open = true;
    page.assumedOpen = true;
    section.scrollIntoView({ block: 'start' });
  });
  return el(
    'p',
    { class: 'assumed-line' },
    el('span', { class: 'codicon codicon-info', 'aria-hidden': 'true' }),
    `Rests on ${keys.length === 1 ? 'an assumed number' : 'assumed numbers'} no source gives: ${named.join('; ')} (`,
    show,
    ').',
  );
}
