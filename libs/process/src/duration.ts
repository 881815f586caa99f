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
  const t = new Date(iso);
  t.setUTCFullYear(t.getUTCFullYear() + d.years, t.getUTCMonth() + d.months, t.getUTCDate() + d.days);
  return new Date(t.getTime() + d.ms).toISOString();
}

/** Subtracts a duration from an ISO time (used for reminders *before* a meeting). */
export function subtractDuration(iso: string, duration: string): string {
  const d = parseDuration(duration);
  if (!d) throw new Error(`not an ISO-8601 duration: ${duration}`);
  const t = new Date(new Date(iso).getTime() - d.ms);
  t.setUTCFullYear(t.getUTCFullYear() - d.years, t.getUTCMonth() - d.months, t.getUTCDate() - d.days);
  return t.toISOString();
}
