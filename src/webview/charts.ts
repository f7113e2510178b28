/**
 * The per-server charts, drawn with uPlot: store task threads busy, stacked by kind, against the
 * thread pool; the local delivery queue; a band per step; a marker where threads run out; the
 * what-if run dashed over the original. Colours come from VS Code's theme variables, read at draw
 * time, so a theme change only needs a redraw.
 */
import uPlot from 'uplot';
import type { ServerSeries, ServerSummary, SimulationResult } from '../core/simulator/result';
import { foldedTime, type FoldedTime, type Stretch } from './timeAxis';
import { formatCount } from '../core/format/numbers';
import { formatAxisTime, formatTime } from './describe';
import { el } from './dom';
import { LOCAL_QUEUE_THRESHOLD } from '../core/simulator/thresholds';

/** The queue chart's threshold line, as its label and the legend name it. */
export const QUEUE_THRESHOLD_LABEL = `${formatCount(LOCAL_QUEUE_THRESHOLD)} queued: Exchange Server Analyzer error`;

export interface ChartTheme {
  text: string;
  grid: string;
  background: string;
  fontFamily: string;
  delivery: string;
  owa: string;
  move: string;
  flush: string;
  pool: string;
  queue: string;
  exhaustion: string;
  /** The 1,000-message line of the local delivery queue. */
  threshold: string;
  whatIf: string;
  band: string;
  bandFocus: string;
}

/** Reads the chart colours from the --vscode-* variables VS Code sets on the page (with sane fallbacks). */
export function readTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const text = read('--vscode-descriptionForeground', read('--vscode-foreground', '#888888'));
  return {
    text,
    grid: withAlpha(read('--vscode-charts-lines', text), 0.35),
    background: read('--vscode-editor-background', '#1e1e1e'),
    fontFamily: read('--vscode-font-family', 'system-ui, sans-serif'),
    delivery: read('--vscode-charts-blue', '#3794ff'),
    owa: read('--vscode-charts-green', '#89d185'),
    move: read('--vscode-charts-purple', '#b180d7'),
    flush: read('--vscode-charts-orange', '#d18616'),
    pool: read('--vscode-foreground', '#cccccc'),
    queue: read('--vscode-charts-yellow', '#cca700'),
    exhaustion: read('--vscode-errorForeground', read('--vscode-charts-red', '#f14c4c')),
    threshold: read('--vscode-charts-red', '#f14c4c'),
    whatIf: read('--vscode-charts-foreground', read('--vscode-foreground', '#cccccc')),
    band: withAlpha(read('--vscode-foreground', '#cccccc'), 0.05),
    bandFocus: withAlpha(read('--vscode-focusBorder', '#007fd4'), 0.16),
  };
}

/** `#rgb`, `#rrggbb`, `#rrggbbaa` or `rgb(a)(…)` with its alpha multiplied; other colours as they are. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3,8})$/i.exec(color.trim());
  if (hex) {
    let digits = hex[1];
    if (digits.length === 3 || digits.length === 4) digits = [...digits].map((c) => c + c).join('');
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16));
    const a = digits.length === 8 ? parseInt(digits.slice(6, 8), 16) / 255 : 1;
    return `rgba(${r}, ${g}, ${b}, ${+(a * alpha).toFixed(3)})`;
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/i.exec(color.trim());
  if (rgb) {
    const a = rgb[4] === undefined ? 1 : rgb[4].endsWith('%') ? parseFloat(rgb[4]) / 100 : parseFloat(rgb[4]);
    return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${+(a * alpha).toFixed(3)})`;
  }
  return color;
}

/** A step shown as a band on a server's charts. */
export interface StepBand {
  id: string;
  start: number;
  end: number;
  focused: boolean;
}

/** What a server's charts show: one result (and the what-if, or a plan, dashed beside it). */
export interface ServerChartData {
  server: string;
  baseline: SimulationResult;
  alternative?: SimulationResult;
  /** What the dashed run is, for its labels: "What-if" (the default) or "Plan 2". */
  alternativeName?: string;
  steps: StepBand[];
}

export interface ServerChartInput extends ServerChartData {
  theme: ChartTheme;
  /** Draws the sync'd hover readout under the charts. */
  readout: HTMLElement;
}

export interface ServerCharts {
  readonly canvases: HTMLCanvasElement[];
  /**
   * Gives both charts new data in place (uPlot setData: no new canvas, no flicker while a run
   * streams in). False, with nothing changed, when the new data has other series (a what-if
   * appeared or went) or a time axis folded where it was not: then the caller builds new charts.
   */
  update(data: ServerChartData): boolean;
  destroy(): void;
}

const CURSOR_SYNC_KEY = 'exrunbook-simulation';
/** The titles above a server's two charts (the page's headings, and the exported image's). */
export const CHART_TITLES = ['Store task threads busy', 'Local delivery queue (messages waiting for a thread)'] as const;
/** Time-axis steps in minutes, so ticks fall on whole hours and days rather than every 200 minutes. */
const TIME_INCREMENTS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440, 2880, 4320, 10080, 20160, 43200];
/** Room above the plot: a row for step names, a row for the exhaustion markers (CSS px). */
const TOP_ROWS = 30;
/** Wide enough for "99,999", so charts of different servers usually line up too (CSS px). */
const MIN_Y_AXIS_WIDTH = 56;
const LAYER_ALPHA = 0.7;
const THREAD_CHART_HEIGHT = 220;
const QUEUE_CHART_HEIGHT = 130;

/** The numbers both charts of one server draw, from one result. */
interface ChartFrame {
  baseline: SimulationResult;
  x: number[];
  threadData: uPlot.AlignedData;
  queueData: uPlot.AlignedData;
  /**
   * Which optional series exist (what-if busy, pool, queue), whether time is folded, and what the
   * dashed run is called (its series labels): another shape needs new charts.
   */
  shape: string;
  /** Quiet stretches every run on the chart skipped, folded to a narrow strip (timeAxis.ts). */
  folded: FoldedTime | null;
  markers: Marker[];
  steps: StepBand[];
  threadTop: number;
  queueTop: number;
  showThreshold: boolean;
  yAxisWidth: number;
  /** The readout line at a sample index. */
  describe(index: number): string;
}

function chartFrame(data: ServerChartData): ChartFrame {
  const base = data.baseline.servers[data.server];
  const alt = data.alternative?.servers[data.server];
  const name = data.alternativeName ?? 'What-if';
  const x = alt ? mergedTimes(base.series.t, alt.series.t) : base.series.t;
  const align = (values: number[] | undefined, series: ServerSeries | undefined) => alignTo(x, series?.t, values);
  const busy = (series: ServerSeries) => series.t.map((_, i) => series.delivery[i] + series.owa[i] + series.move[i] + series.flush[i]);
  const end = Math.max(data.baseline.duration, data.alternative?.duration ?? 0);
  const folded = foldedTime([data.baseline.skipped ?? [], ...(data.alternative ? [data.alternative.skipped ?? []] : [])], end);

  const baseDelivery = align(base.series.delivery, base.series);
  const baseOwa = align(base.series.owa, base.series);
  const baseMove = align(base.series.move, base.series);
  const baseFlush = align(base.series.flush, base.series);
  const stacked = cumulative([baseDelivery, baseOwa, baseMove, baseFlush]);
  const basePool = align(base.series.pool, base.series);
  const altBusy = alt ? align(busy(alt.series), alt.series) : undefined;
  const alignedAltPool = alt ? align(alt.series.pool, alt.series) : undefined;
  const altPool = alignedAltPool?.some((value, i) => value !== null && value !== basePool[i]) ? alignedAltPool : undefined;
  const queue = align(base.series.deliveryQueue, base.series);
  const altQueue = alt ? align(alt.series.deliveryQueue, alt.series) : undefined;

  const markers: Marker[] = [
    ...exhaustionTimes(base.summary).map((at) => ({ at, dashed: false, label: 'out of threads' })),
    ...(alt ? exhaustionTimes(alt.summary).map((at) => ({ at, dashed: true, label: `${name.toLowerCase()}: out of threads` })) : []),
  ];
  markers.sort((a, b) => a.at - b.at);

  const maxThreads = largest(basePool, stacked[3], altBusy, altPool);
  // The 1,000-message line is drawn once the queue comes within half of it; the scale then reaches it.
  const queueMax = largest(queue, altQueue);
  const showThreshold = queueMax >= LOCAL_QUEUE_THRESHOLD / 2;
  const queueTop = niceCeiling(Math.max(queueMax, showThreshold ? LOCAL_QUEUE_THRESHOLD : 0) * 1.05);
  const value = (array: (number | null)[], i: number) =>
    array[i] === null || array[i] === undefined ? '—' : formatCount(array[i] as number);
  return {
    baseline: data.baseline,
    x,
    threadData: [x, ...stacked, basePool, ...(altBusy ? [altBusy] : []), ...(altPool ? [altPool] : [])],
    queueData: [x, queue, ...(altQueue ? [altQueue] : [])],
    shape: [altBusy !== undefined, altPool !== undefined, altQueue !== undefined, folded !== null, alt ? name : ''].join(),
    folded,
    markers,
    steps: data.steps,
    threadTop: maxThreads * 1.08,
    queueTop,
    showThreshold,
    // One y-axis width for both charts (room for the longest tick label), so their time axes line up
    // and the synced cursor stands at the same place in each.
    yAxisWidth: Math.max(MIN_Y_AXIS_WIDTH, 14 + 7 * formatCount(Math.max(maxThreads, queueTop)).length),
    describe(index) {
      let text =
        `${formatTime(data.baseline, x[index])}: delivery ${value(baseDelivery, index)}, OWA ` +
        `${value(baseOwa, index)}, move ${value(baseMove, index)}, ` +
        `flush ${value(baseFlush, index)} of ${value(basePool, index)} threads; local delivery queue ${value(queue, index)}`;
      if (altBusy) text += ` · ${name.toLowerCase()}: ${value(altBusy, index)} busy, queue ${value(altQueue!, index)}`;
      return text;
    },
  };
}

/** Builds both charts of one server into `container` (already in the document, so it has a width). */
export function createServerCharts(container: HTMLElement, input: ServerChartInput, onFirstDraw?: () => void): ServerCharts {
  // The options below read the frame when they draw, so update() only swaps it and calls setData.
  let frame = chartFrame(input);
  const width = Math.max(240, container.clientWidth);
  const theme = input.theme;
  const [hasAltBusy, hasAltPool, hasAltQueue, isFolded] = frame.shape.split(',').map((flag) => flag === 'true');
  const name = input.alternativeName ?? 'What-if';

  const threadSeries: uPlot.Series[] = [
    {},
    // Stacked layers are fills only: an outline on the top layer would colour the whole total as that kind.
    { label: 'Delivery', stroke: theme.delivery, fill: withAlpha(theme.delivery, LAYER_ALPHA), width: 0, points: { show: false } },
    { label: 'OWA', stroke: theme.owa, width: 0, points: { show: false } },
    { label: 'Move', stroke: theme.move, width: 0, points: { show: false } },
    { label: 'Flush', stroke: theme.flush, width: 0, points: { show: false } },
    { label: 'Thread pool', stroke: theme.pool, width: 1.5, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
  ];
  if (hasAltBusy)
    threadSeries.push({ label: `${name}: busy`, stroke: withAlpha(theme.whatIf, 0.9), width: 1.25, dash: [6, 3], points: { show: false } });
  if (hasAltPool)
    threadSeries.push({
      label: `${name}: pool`,
      stroke: theme.whatIf,
      width: 1,
      dash: [2, 3],
      paths: uPlot.paths.stepped!({ align: 1 }),
      points: { show: false },
    });

  const readout = (index: number | null | undefined) => {
    input.readout.textContent =
      index === null || index === undefined || index >= frame.x.length
        ? 'Hover a chart to read the values at that time.'
        : frame.describe(index);
  };

  let firstDrawSeen = false;
  // No uPlot title or legend: the page writes its own headings and readout (textContent only).
  const common = (height: number, yLabel: string, yTop: () => number): uPlot.Options => ({
    width,
    height,
    legend: { show: false },
    padding: [TOP_ROWS, 8, 0, 0],
    cursor: { sync: { key: CURSOR_SYNC_KEY }, y: false, points: { show: false }, drag: { x: false, y: false } },
    scales: {
      x: isFolded ? { time: false, distr: 100, fwd: (v) => frame.folded!.fwd(v), bwd: (v) => frame.folded!.bwd(v) } : { time: false },
      y: { range: () => [0, yTop()] },
    },
    axes: [
      {
        stroke: theme.text,
        grid: { stroke: theme.grid, width: 1 },
        ticks: { stroke: theme.grid },
        font: `11px ${theme.fontFamily}`,
        values: (_u, splits) =>
          splits.map((v, i) =>
            // The first tick after a fold says its date: the folded time is not on the axis.
            frame.folded &&
            frame.baseline.clockOrigin !== null &&
            i > 0 &&
            frame.folded.folds.some((fold) => fold.start >= splits[i - 1] && fold.end <= v)
              ? formatTime(frame.baseline, v).replace(/^\d{4}-| UTC$/g, '')
              : formatAxisTime(frame.baseline, v),
          ),
        incrs: TIME_INCREMENTS,
        space: 70,
        ...(isFolded && {
          splits: (u: uPlot, _axis: number, min: number, max: number) =>
            frame.folded!.splits(min, max, u.bbox.width / (devicePixelRatio || 1), TIME_INCREMENTS, 70),
          // uPlot's default filter for a custom scale keeps only powers of ten (it assumes a log scale).
          filter: (_u: uPlot, splits: number[]) => splits,
        }),
      },
      {
        stroke: theme.text,
        grid: { stroke: theme.grid, width: 1 },
        ticks: { stroke: theme.grid },
        font: `11px ${theme.fontFamily}`,
        label: yLabel,
        labelFont: `11px ${theme.fontFamily}`,
        labelSize: 16,
        size: () => frame.yAxisWidth,
      },
    ],
    hooks: {
      drawClear: [
        (u) => {
          drawStepBands(u, frame.steps, theme);
          if (frame.folded) drawFolds(u, frame.folded.folds, theme);
        },
      ],
      draw: [
        (u) => {
          drawMarkers(u, frame.markers, theme);
          if (!firstDrawSeen) {
            firstDrawSeen = true;
            onFirstDraw?.();
          }
        },
      ],
      setCursor: [(u) => readout(u.cursor.idx)],
    },
    series: [],
  });

  const threadOptions: uPlot.Options = {
    ...common(THREAD_CHART_HEIGHT, 'threads', () => frame.threadTop),
    series: threadSeries,
    bands: [
      { series: [2, 1], fill: withAlpha(theme.owa, LAYER_ALPHA) },
      { series: [3, 2], fill: withAlpha(theme.move, LAYER_ALPHA) },
      { series: [4, 3], fill: withAlpha(theme.flush, LAYER_ALPHA) },
    ],
  };
  const queueSeries: uPlot.Series[] = [
    {},
    { label: 'Local delivery queue', stroke: theme.queue, fill: withAlpha(theme.queue, 0.3), width: 1.5, points: { show: false } },
  ];
  if (hasAltQueue) queueSeries.push({ label: `${name}: queue`, stroke: theme.whatIf, width: 2, dash: [6, 4], points: { show: false } });
  const queueCommon = common(QUEUE_CHART_HEIGHT, 'queued', () => frame.queueTop);
  const queueOptions: uPlot.Options = {
    ...queueCommon,
    series: queueSeries,
    hooks: {
      ...queueCommon.hooks,
      draw: [...(queueCommon.hooks?.draw ?? []), (u) => frame.showThreshold && drawThreshold(u, LOCAL_QUEUE_THRESHOLD, theme)],
    },
  };

  const threadHost = el('div', {
    class: 'chart',
    role: 'img',
    'aria-label': `Store task threads busy on ${input.server}, by kind, against the thread pool`,
  });
  const queueHost = el('div', { class: 'chart', role: 'img', 'aria-label': `Local delivery queue on ${input.server}` });
  container.append(
    el('h4', { class: 'chart-title' }, CHART_TITLES[0]),
    threadHost,
    el('h4', { class: 'chart-title' }, CHART_TITLES[1]),
    queueHost,
  );
  const charts = [new uPlot(threadOptions, frame.threadData, threadHost), new uPlot(queueOptions, frame.queueData, queueHost)];
  readout(null);

  const resize = new ResizeObserver(() => {
    const newWidth = Math.max(240, container.clientWidth);
    for (const chart of charts) if (Math.abs(chart.width - newWidth) > 1) chart.setSize({ width: newWidth, height: chart.height });
  });
  resize.observe(container);
  return {
    canvases: charts.map((chart) => chart.ctx.canvas),
    update(data) {
      const next = chartFrame(data);
      if (next.shape !== frame.shape) return false;
      frame = next;
      charts[0].setData(frame.threadData);
      charts[1].setData(frame.queueData);
      readout(charts[0].cursor.idx);
      return true;
    },
    destroy() {
      resize.disconnect();
      for (const chart of charts) chart.destroy();
    },
  };
}

/** Every exhaustion worth a marker: the first, and the first during each later move step. */
function exhaustionTimes(summary: ServerSummary): number[] {
  const times = (summary.exhaustions ?? []).map((record) => record.at);
  if (summary.exhaustedAt !== null && !times.includes(summary.exhaustedAt)) times.unshift(summary.exhaustedAt);
  return times;
}

interface Marker {
  at: number;
  dashed: boolean;
  label: string;
}

function drawStepBands(u: uPlot, steps: StepBand[], theme: ChartTheme): void {
  const { ctx, bbox } = u;
  const ratio = devicePixelRatio || 1;
  ctx.save();
  ctx.font = `${11 * ratio}px ${theme.fontFamily}`;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  for (const [i, step] of steps.entries()) {
    const left = Math.max(bbox.left, u.valToPos(step.start, 'x', true));
    const right = Math.min(bbox.left + bbox.width, u.valToPos(step.end, 'x', true));
    if (!(right > left)) continue;
    ctx.fillStyle = step.focused ? theme.bandFocus : i % 2 === 0 ? theme.band : 'transparent';
    ctx.fillRect(left, bbox.top, right - left, bbox.height);
    ctx.strokeStyle = theme.grid;
    ctx.lineWidth = ratio;
    ctx.beginPath();
    ctx.moveTo(left, bbox.top);
    ctx.lineTo(left, bbox.top + bbox.height);
    ctx.stroke();
    const label = fitText(ctx, step.id, right - left - 6 * ratio);
    if (label) {
      ctx.fillStyle = theme.text;
      ctx.fillText(label, left + 3 * ratio, bbox.top - (TOP_ROWS - 2) * ratio);
    }
  }
  ctx.restore();
}

/** A skipped quiet stretch: a hatched strip (its time is folded, see timeAxis.ts). */
function drawFolds(u: uPlot, folds: Stretch[], theme: ChartTheme): void {
  const { ctx, bbox } = u;
  const ratio = devicePixelRatio || 1;
  for (const fold of folds) {
    const left = Math.max(bbox.left, u.valToPos(fold.start, 'x', true));
    const right = Math.min(bbox.left + bbox.width, u.valToPos(fold.end, 'x', true));
    if (!(right > left)) continue;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, bbox.top, right - left, bbox.height);
    ctx.clip();
    ctx.fillStyle = theme.background;
    ctx.fillRect(left, bbox.top, right - left, bbox.height);
    ctx.strokeStyle = theme.grid;
    ctx.lineWidth = ratio;
    ctx.beginPath();
    for (let x = left - bbox.height; x < right; x += 6 * ratio) {
      ctx.moveTo(x, bbox.top + bbox.height);
      ctx.lineTo(x + bbox.height, bbox.top);
    }
    ctx.stroke();
    ctx.restore();
  }
}

function drawMarkers(u: uPlot, markers: Marker[], theme: ChartTheme): void {
  const { ctx, bbox } = u;
  const ratio = devicePixelRatio || 1;
  ctx.save();
  ctx.font = `bold ${11 * ratio}px ${theme.fontFamily}`;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  // Markers stand in the second row above the plot; a second marker to the right of the first.
  const labelTop = bbox.top - (TOP_ROWS / 2) * ratio;
  const shown = markers
    .map((marker) => ({ marker, position: u.valToPos(marker.at, 'x', true) }))
    .filter(({ position }) => position >= bbox.left && position <= bbox.left + bbox.width);
  const places = placeLabels(
    shown.map(({ marker, position }) => ({ position, width: ctx.measureText(marker.label).width })),
    u.ctx.canvas.width,
    4 * ratio,
    8 * ratio,
  );
  for (const [i, { marker, position }] of shown.entries()) {
    ctx.strokeStyle = marker.dashed ? theme.whatIf : theme.exhaustion;
    ctx.lineWidth = 2 * ratio;
    ctx.setLineDash(marker.dashed ? [5 * ratio, 4 * ratio] : []);
    ctx.beginPath();
    ctx.moveTo(position, labelTop);
    ctx.lineTo(position, bbox.top + bbox.height);
    ctx.stroke();
    const x = places[i];
    if (x === null) continue;
    ctx.fillStyle = ctx.strokeStyle;
    ctx.fillText(marker.label, x, labelTop);
  }
  ctx.restore();
}

/**
 * Where each marker's label goes (left x), in one row, markers in time order: right of its line,
 * or left of it when that runs off the canvas, and never over the label before it; null when
 * neither fits (a narrow panel): the line alone marks it, and the verdict names every exhaustion.
 */
export function placeLabels(
  items: { position: number; width: number }[],
  canvasWidth: number,
  pad: number,
  gap: number,
): (number | null)[] {
  let freeFrom = -Infinity;
  return items.map(({ position, width }) => {
    let x = Math.max(position + pad, freeFrom);
    if (x + width > canvasWidth) x = position - pad - width;
    if (x < freeFrom || x < 0) return null;
    freeFrom = x + width + gap;
    return x;
  });
}

/** A dashed horizontal line at `value` with its label at the right end, above the line. */
function drawThreshold(u: uPlot, value: number, theme: ChartTheme): void {
  const { ctx, bbox } = u;
  const ratio = devicePixelRatio || 1;
  const y = Math.round(u.valToPos(value, 'y', true));
  if (y < bbox.top || y > bbox.top + bbox.height) return;
  ctx.save();
  ctx.strokeStyle = theme.threshold;
  ctx.lineWidth = 1.5 * ratio;
  ctx.setLineDash([6 * ratio, 4 * ratio]);
  ctx.beginPath();
  ctx.moveTo(bbox.left, y);
  ctx.lineTo(bbox.left + bbox.width, y);
  ctx.stroke();
  ctx.font = `${10 * ratio}px ${theme.fontFamily}`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.fillStyle = theme.threshold;
  // Near the bottom of a tall scale the label would sit on the queue itself: the legend names the line.
  const label = y < bbox.top + bbox.height * 0.75 ? fitText(ctx, QUEUE_THRESHOLD_LABEL, bbox.width - 8 * ratio) : '';
  if (label) ctx.fillText(label, bbox.left + bbox.width - 4 * ratio, y - 2 * ratio);
  ctx.restore();
}

function fitText(ctx: CanvasRenderingContext2D, text: string, room: number): string {
  if (ctx.measureText(text).width <= room) return text;
  for (let length = text.length - 1; length > 0; length--) {
    const candidate = text.slice(0, length) + '…';
    if (ctx.measureText(candidate).width <= room) return candidate;
  }
  return '';
}

/** The next round number (1, 2, 2.5, 5 × 10ⁿ) at or above `value`, so the top of the y-axis gets a tick. */
function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** The largest value (at least 1), by loop: spreading 500,000 samples into Math.max overflows the stack. */
function largest(...arrays: ((number | null)[] | undefined)[]): number {
  let max = 1;
  for (const array of arrays) for (const value of array ?? []) if (value !== null && value > max) max = value;
  return max;
}

/**
 * Every sample time of either run, in order. The runs may sample at different intervals (each is
 * widened to fit its own series) and skip different quiet stretches, so neither grid covers both.
 */
function mergedTimes(a: number[], b: number[]): number[] {
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (merged.length === 0 || next > merged[merged.length - 1]) merged.push(next);
  }
  return merged;
}

/** Values of a series at the times `x` (both in time order): its latest sample at or before each time; null outside its samples. */
function alignTo(x: number[], t: number[] | undefined, values: number[] | undefined): (number | null)[] {
  if (!values || !t || t.length === 0) return x.map(() => null);
  if (t === x) return values;
  const aligned: (number | null)[] = new Array<number | null>(x.length);
  const last = t[t.length - 1];
  let j = 0;
  for (let i = 0; i < x.length; i++) {
    const time = x[i];
    while (j + 1 < t.length && t[j + 1] <= time) j++;
    aligned[i] = time >= t[0] && time <= last ? values[j] : null;
  }
  return aligned;
}

function cumulative(layers: (number | null)[][]): (number | null)[][] {
  const sums: (number | null)[][] = [];
  let running: (number | null)[] = layers[0].map(() => 0);
  for (const layer of layers) {
    running = running.map((value, i) => (value === null || layer[i] === null ? null : value + (layer[i] as number)));
    sums.push(running);
  }
  return sums;
}

/** A legend entry of the exported image: a filled swatch, or a line (solid or dashed). */
export interface PngLegendEntry {
  label: string;
  color: string;
  kind: 'fill' | 'line' | 'dashed';
}

/** What the exported image shows besides the charts, so it reads on its own in a report or a ticket. */
export interface PngHeader {
  title: string;
  subtitle: string;
  /** The verdict lines, as the panel shows them (one per server, the what-if's). */
  verdicts: string[];
  legend: PngLegendEntry[];
  /** A last line under the charts (the run's details). */
  footer: string;
}

/**
 * All charts on the page as one PNG (base64, no data: prefix): the runbook's title, the verdict,
 * the legend, then each server's charts under its name and their own titles (the time axis is
 * part of each chart), then the run's details.
 */
export function chartsToPng(
  header: PngHeader,
  sections: { title: string; charts: { title: string; canvas: HTMLCanvasElement }[] }[],
  theme: ChartTheme,
  foreground: string,
): string {
  const ratio = devicePixelRatio || 1;
  const margin = 12 * ratio;
  const lineHeight = 18 * ratio;
  const chartWidth = Math.max(480 * ratio, ...sections.flatMap((section) => section.charts.map((chart) => chart.canvas.width)));
  const width = chartWidth + 2 * margin;
  const out = document.createElement('canvas');
  const ctx = out.getContext('2d')!;
  const fonts = {
    title: `600 ${16 * ratio}px ${theme.fontFamily}`,
    heading: `600 ${14 * ratio}px ${theme.fontFamily}`,
    text: `${12 * ratio}px ${theme.fontFamily}`,
    small: `${11 * ratio}px ${theme.fontFamily}`,
  };
  // Lay out first (wrapping needs the fonts), then size the canvas (which resets it), then draw.
  type Item =
    { font: string; color: string; text: string; y: number } | { canvas: HTMLCanvasElement; y: number } | { legend: true; y: number };
  const items: Item[] = [];
  let y = margin;
  const text = (font: string, color: string, words: string, gap = 0) => {
    ctx.font = font;
    for (const line of wrapText(ctx, words, chartWidth)) {
      items.push({ font, color, text: line, y });
      y += lineHeight;
    }
    y += gap;
  };
  text(fonts.title, foreground, header.title);
  if (header.subtitle) text(fonts.small, theme.text, header.subtitle);
  y += 4 * ratio;
  for (const verdict of header.verdicts) text(fonts.text, foreground, verdict, 2 * ratio);
  y += 4 * ratio;
  ctx.font = fonts.small;
  const legendRows = legendLayout(ctx, header.legend, chartWidth, ratio);
  items.push({ legend: true, y });
  y += legendRows.rows * lineHeight + 6 * ratio;
  for (const section of sections) {
    y += 6 * ratio;
    text(fonts.heading, foreground, section.title);
    for (const chart of section.charts) {
      text(fonts.small, theme.text, chart.title);
      items.push({ canvas: chart.canvas, y });
      y += chart.canvas.height + margin;
    }
  }
  if (header.footer) text(fonts.small, theme.text, header.footer);

  out.width = width;
  out.height = Math.ceil(y + margin);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.textBaseline = 'top';
  for (const item of items) {
    if ('canvas' in item) ctx.drawImage(item.canvas, margin, item.y);
    else if ('legend' in item) drawLegend(ctx, legendRows.placed, margin, item.y, lineHeight, fonts.small, foreground, ratio);
    else {
      ctx.font = item.font;
      ctx.fillStyle = item.color;
      ctx.fillText(item.text, margin, item.y);
    }
  }
  return out.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

/** Words broken into lines no wider than `room` (a word longer than that gets a line of its own). */
function wrapText(ctx: CanvasRenderingContext2D, words: string, room: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words.split(/\s+/).filter((part) => part !== '')) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(candidate).width > room) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}

const SWATCH = 14;

function legendLayout(
  ctx: CanvasRenderingContext2D,
  entries: PngLegendEntry[],
  room: number,
  ratio: number,
): { rows: number; placed: { entry: PngLegendEntry; x: number; row: number }[] } {
  const placed: { entry: PngLegendEntry; x: number; row: number }[] = [];
  let x = 0;
  let row = 0;
  for (const entry of entries) {
    const width = (SWATCH + 5) * ratio + ctx.measureText(entry.label).width;
    if (x > 0 && x + width > room) {
      row++;
      x = 0;
    }
    placed.push({ entry, x, row });
    x += width + 14 * ratio;
  }
  return { rows: entries.length > 0 ? row + 1 : 0, placed };
}

function drawLegend(
  ctx: CanvasRenderingContext2D,
  placed: { entry: PngLegendEntry; x: number; row: number }[],
  left: number,
  top: number,
  lineHeight: number,
  font: string,
  foreground: string,
  ratio: number,
): void {
  ctx.save();
  ctx.font = font;
  for (const { entry, x, row } of placed) {
    const y = top + row * lineHeight;
    const middle = y + 6 * ratio;
    ctx.fillStyle = entry.color;
    ctx.strokeStyle = entry.color;
    if (entry.kind === 'fill') ctx.fillRect(left + x, y + 1 * ratio, SWATCH * ratio, 10 * ratio);
    else {
      ctx.lineWidth = 2 * ratio;
      ctx.setLineDash(entry.kind === 'dashed' ? [4 * ratio, 3 * ratio] : []);
      ctx.beginPath();
      ctx.moveTo(left + x, middle);
      ctx.lineTo(left + x + SWATCH * ratio, middle);
      ctx.stroke();
    }
    ctx.fillStyle = foreground;
    ctx.fillText(entry.label, left + x + (SWATCH + 5) * ratio, y);
  }
  ctx.restore();
}
