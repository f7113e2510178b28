/**
 * The maintenance window (`window:`) as intervals of time. A daily window is read in its time
 * zone (IANA names, through `Intl`, which every runtime of the core has), so 22:00–06:00 in
 * Europe/London follows the clock change; explicit intervals are taken as written.
 */
import type { MaintenanceWindow } from './types';

/** Epoch milliseconds, `start` inclusive, `end` exclusive. */
export interface Interval {
  start: number;
  end: number;
}

const DAY_MS = 86_400_000;
/** At most this many days of a daily window are laid out for one question (about 11 years). */
const MAX_DAYS = 4096;

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      formatter = null;
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether this runtime knows the IANA time zone `name` (`UTC` always). */
export function isKnownTimeZone(name: string): boolean {
  return name === 'UTC' || formatterFor(name) !== null;
}

/** Minutes the zone's clock is ahead of UTC at `epochMs` (0 for an unknown zone). */
export function zoneOffsetMinutes(timeZone: string, epochMs: number): number {
  if (timeZone === 'UTC') return 0;
  const formatter = formatterFor(timeZone);
  if (!formatter) return 0;
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(epochMs)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
  return Math.round((local - Math.floor(epochMs / 1000) * 1000) / 60000);
}

/** The instant the zone's clock shows `minutes` after midnight of the local day `dayUtc` (Date.UTC of that date). */
function localToEpoch(timeZone: string, dayUtc: number, minutes: number): number {
  const wall = dayUtc + minutes * 60000;
  // Two rounds settle the offset, also across a clock change (a skipped time maps to the hour after).
  let epoch = wall - zoneOffsetMinutes(timeZone, wall) * 60000;
  epoch = wall - zoneOffsetMinutes(timeZone, epoch) * 60000;
  return epoch;
}

export function windowTimeZone(window: MaintenanceWindow): string {
  const zone = window.timeZone?.value;
  return zone !== undefined && isKnownTimeZone(zone) ? zone : 'UTC';
}

/** Whether the window says when work is allowed (a daily window or at least one interval). */
export function windowDeclaresTimes(window: MaintenanceWindow | undefined): window is MaintenanceWindow {
  return window !== undefined && (window.daily !== undefined || window.intervals.length > 0);
}

/** The window's intervals that overlap [fromMs, toMs], sorted, overlapping ones merged. */
export function windowIntervals(window: MaintenanceWindow, fromMs: number, toMs: number): Interval[] {
  const all: Interval[] = [];
  if (window.daily) {
    const zone = windowTimeZone(window);
    const open = window.daily.from.value;
    let close = window.daily.to.value;
    if (close <= open) close += 1440;
    // The local date of `fromMs`, a day earlier (a night that opened yesterday is still open).
    const localFrom = fromMs + zoneOffsetMinutes(zone, fromMs) * 60000;
    const firstDay = Math.floor(localFrom / DAY_MS) * DAY_MS - DAY_MS;
    for (let day = firstDay, n = 0; n < MAX_DAYS; day += DAY_MS, n++) {
      const interval = { start: localToEpoch(zone, day, open), end: localToEpoch(zone, day, close) };
      if (interval.start > toMs) break;
      if (interval.end > fromMs) all.push(interval);
    }
  }
  for (const { start, end } of window.intervals)
    if (end.value > fromMs && start.value <= toMs) all.push({ start: start.value, end: end.value });
  all.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of all) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** The window interval holding `epochMs`, if any. */
export function intervalAt(window: MaintenanceWindow, epochMs: number): Interval | undefined {
  return windowIntervals(window, epochMs, epochMs).find((interval) => interval.start <= epochMs && epochMs < interval.end);
}

/** The first window interval that opens at or after `epochMs` (within the days laid out), if any. */
export function nextInterval(window: MaintenanceWindow, epochMs: number): Interval | undefined {
  return windowIntervals(window, epochMs, epochMs + MAX_DAYS * DAY_MS).find((interval) => interval.start >= epochMs);
}

/** The last window interval that closed at or before `epochMs` (looking back a year), if any. */
export function previousInterval(window: MaintenanceWindow, epochMs: number): Interval | undefined {
  const before = windowIntervals(window, epochMs - 366 * DAY_MS, epochMs).filter((interval) => interval.end <= epochMs);
  return before[before.length - 1];
}

/** How a window reads in a sentence: "daily 22:00–06:00 Europe/London", "2 intervals". */
export function describeWindow(window: MaintenanceWindow): string {
  const parts: string[] = [];
  if (window.daily) {
    const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    parts.push(`daily ${clock(window.daily.from.value)}–${clock(window.daily.to.value)} ${windowTimeZone(window)}`);
  }
  if (window.intervals.length > 0) parts.push(`${window.intervals.length} interval${window.intervals.length === 1 ? '' : 's'}`);
  return parts.join(' and ');
}
