/**
 * ISO-8601 durations (`P42D`, `PT72H`, `PT5S`, `P1Y2M`) and UTC date arithmetic over them.
 * Calendar parts (years, months, days) move the calendar date; time parts add exact seconds, so the
 * result is the same on every machine and every replay.
 */
const PATTERN =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

export interface DurationParts {
  years: number;
  months: number;
  days: number;
  ms: number;
}

export function parseDuration(text: string): DurationParts | null {
  const m = PATTERN.exec(text);
  if (!m) return null;
  const n = (i: number) => Number(m[i] ?? 0);
  return {
    years: n(1),
    months: n(2),
    days: n(3) * 7 + n(4),
    ms: Math.round((n(5) * 3600 + n(6) * 60 + n(7)) * 1000),
  };
}

export function isZero(d: DurationParts): boolean {
  return d.years === 0 && d.months === 0 && d.days === 0 && d.ms === 0;
}

/** Adds a duration (already validated by the variant schema) to an ISO time; returns an ISO time. */
export function addDuration(iso: string, duration: string): string {
  const d = parseDuration(duration);
  if (!d) throw new Error(`not an ISO-8601 duration: ${duration}`);
  const t = shiftCalendar(new Date(iso), d.years, d.months, d.days);
  return new Date(t.getTime() + d.ms).toISOString();
}

/** Subtracts a duration from an ISO time (used for reminders *before* a meeting). */
export function subtractDuration(iso: string, duration: string): string {
  const d = parseDuration(duration);
  if (!d) throw new Error(`not an ISO-8601 duration: ${duration}`);
  const t = new Date(new Date(iso).getTime() - d.ms);
  return shiftCalendar(t, -d.years, -d.months, -d.days).toISOString();
}

/**
 * Moves a UTC time by whole years and months, keeping the day of the month but never past the target
 * month's last day (Jan 31 + P1M = Feb 28, not Mar 3, as in ISO 8601 and Temporal), then by days.
 */
function shiftCalendar(t: Date, years: number, months: number, days: number): Date {
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(t.getUTCFullYear() + years, t.getUTCMonth() + months + 1, 0);
  const out = new Date(t.getTime());
  out.setUTCFullYear(
    t.getUTCFullYear() + years,
    t.getUTCMonth() + months,
    Math.min(t.getUTCDate(), lastDay.getUTCDate()) + days,
  );
  return out;
}
