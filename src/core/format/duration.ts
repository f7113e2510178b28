/** Durations and times as the runbook format defines them (docs/runbook-format.md, "Durations and times"). */

const UNIT_MINUTES: Record<string, number> = { ms: 1 / 60000, s: 1 / 60, m: 1, h: 60, d: 1440 };
const SHORT_DURATION = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)$/;
const ISO_DURATION =
  /^P(?:([0-9]+(?:\.[0-9]+)?)W)?(?:([0-9]+(?:\.[0-9]+)?)D)?(?:T(?:([0-9]+(?:\.[0-9]+)?)H)?(?:([0-9]+(?:\.[0-9]+)?)M)?(?:([0-9]+(?:\.[0-9]+)?)S)?)?$/;

/** Parses `90s`, `150m`, `2h`, `1d` or ISO 8601 `PT2H30M` into minutes; undefined if it is not a duration. */
export function parseDurationMinutes(text: string): number | undefined {
  const short = SHORT_DURATION.exec(text);
  if (short) return finite(Number(short[1]) * UNIT_MINUTES[short[2]]);
  const iso = ISO_DURATION.exec(text);
  if (!iso || text === 'P' || text.endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = iso.map((part) => (part === undefined ? 0 : Number(part)));
  return finite(weeks * 10080 + days * 1440 + hours * 60 + minutes + seconds / 60);
}

const DATE_TIME =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(\.[0-9]+)?)?([Zz]|([+-])([0-9]{2}):?([0-9]{2}))$/;

/** Written as a date-time with a zone (digits where digits go), whether or not such a day and time exist. */
export function looksLikeDateTime(text: string): boolean {
  return DATE_TIME.test(text);
}

/** Parses an ISO 8601 date-time with a zone into epoch milliseconds; undefined if malformed or out of range. */
export function parseDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Math.round(Number(m[7]) * 1000);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const daysInMonth = month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (day > daysInMonth) return undefined;
  let offsetMinutes = 0;
  if (m[9]) {
    const zoneHours = Number(m[10]);
    const zoneMinutes = Number(m[11]);
    if (zoneHours > 23 || zoneMinutes > 59) return undefined;
    offsetMinutes = (m[9] === '+' ? 1 : -1) * (zoneHours * 60 + zoneMinutes);
  }
  // Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear takes the year as written (0001 is year 1).
  const midnight = new Date(Date.UTC(2000, month - 1, day));
  midnight.setUTCFullYear(year);
  const utc = midnight.getTime() + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offsetMinutes * 60000;
  return Number.isFinite(utc) ? utc : undefined;
}

/** Parses a clock time `HH:MM` (00:00–23:59) into minutes after midnight; undefined otherwise. */
export function parseClockTime(text: string): number | undefined {
  const m = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function finite(value: number): number | undefined {
  return Number.isFinite(value) ? value : undefined;
}

/** "1 h 47 m", "25 m", "2 d 3 h": how a person reads an elapsed time. */
export function formatMinutes(minutes: number): string {
  const total = Math.round(minutes);
  if (total < 60) return `${total} m`;
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  return mins > 0 ? `${hours} h ${mins} m` : `${hours} h`;
}

/** A duration in the runbook's own short syntax (`45s`, `15m`, `2h`, `3d`), rounded up to whole units. */
export function formatDurationSetting(minutes: number): string {
  if (minutes >= 1440 && Number.isInteger(minutes / 1440)) return `${minutes / 1440}d`;
  if (minutes >= 60 && Number.isInteger(minutes / 60)) return `${minutes / 60}h`;
  if (minutes >= 1) return `${Math.ceil(minutes)}m`;
  return `${Math.ceil(minutes * 60)}s`;
}

/** "+1h47m": a compact offset from the start, for CodeLens and charts. */
export function formatOffset(minutes: number): string {
  return '+' + formatMinutes(minutes).replace(/ /g, '');
}

/** "2026-12-05 23:47 UTC" for an epoch-ms time. */
export function formatClock(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
