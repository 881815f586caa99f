/**
 * ISO-8601 durations and UTC arithmetic over them: calendar parts move the calendar date (clamped to the
 * end of a shorter month, as ISO 8601 and Temporal do), time parts add exact seconds.
 */
import { addDuration, isZero, parseDuration, subtractDuration } from '../../libs/process/src';

describe('parseDuration', () => {
  it.each([
    ['P42D', { years: 0, months: 0, days: 42, ms: 0 }],
    ['P2W', { years: 0, months: 0, days: 14, ms: 0 }],
    ['P1W3D', { years: 0, months: 0, days: 10, ms: 0 }],
    ['PT72H', { years: 0, months: 0, days: 0, ms: 72 * 3_600_000 }],
    ['PT5S', { years: 0, months: 0, days: 0, ms: 5_000 }],
    ['PT1.25S', { years: 0, months: 0, days: 0, ms: 1_250 }],
    ['PT90M', { years: 0, months: 0, days: 0, ms: 5_400_000 }],
    ['P1Y2M3DT4H5M6S', { years: 1, months: 2, days: 3, ms: 14_706_000 }],
    ['P0D', { years: 0, months: 0, days: 0, ms: 0 }],
  ])('%s', (text, parts) => {
    expect(parseDuration(text)).toEqual(parts);
  });

  it.each(['', 'P', 'PT', 'P1DT', '42D', 'P-1D', 'P1.5D', 'pt5s', 'P1D ', 'PT5S1M'])(
    '%p is not a duration',
    (text) => {
      expect(parseDuration(text)).toBeNull();
    },
  );

  it('isZero: only a duration of no length', () => {
    expect(isZero(parseDuration('P0D')!)).toBe(true);
    expect(isZero(parseDuration('PT0S')!)).toBe(true);
    expect(isZero(parseDuration('PT0.001S')!)).toBe(false);
    expect(isZero(parseDuration('P0Y0M1D')!)).toBe(false);
  });
});

describe('addDuration', () => {
  const t = '2026-01-05T08:00:00.000Z';

  it.each([
    ['P42D', '2026-02-16T08:00:00.000Z'],
    ['P56D', '2026-03-02T08:00:00.000Z'],
    ['P1W', '2026-01-12T08:00:00.000Z'],
    ['P2W1D', '2026-01-20T08:00:00.000Z'],
    ['PT72H', '2026-01-08T08:00:00.000Z'],
    ['PT1S', '2026-01-05T08:00:01.000Z'],
    ['PT59M59S', '2026-01-05T08:59:59.000Z'],
    ['PT0.5S', '2026-01-05T08:00:00.500Z'],
    ['P1M', '2026-02-05T08:00:00.000Z'],
    ['P12M', '2027-01-05T08:00:00.000Z'],
    ['P1Y', '2027-01-05T08:00:00.000Z'],
    ['P1DT1H', '2026-01-06T09:00:00.000Z'],
    ['P0D', t],
  ])('%s after 5 Jan 2026 08:00 is %s', (d, expected) => {
    expect(addDuration(t, d)).toBe(expected);
  });

  it('a calendar month keeps the day of the month', () => {
    expect(addDuration('2026-03-15T12:00:00.000Z', 'P1M')).toBe('2026-04-15T12:00:00.000Z');
    expect(addDuration('2026-11-30T00:00:00.000Z', 'P2M')).toBe('2027-01-30T00:00:00.000Z');
  });

  it('a calendar month from the 31st ends on the last day of a shorter month, not in the next month', () => {
    expect(addDuration('2026-01-31T10:00:00.000Z', 'P1M')).toBe('2026-02-28T10:00:00.000Z');
    expect(addDuration('2024-01-31T10:00:00.000Z', 'P1M')).toBe('2024-02-29T10:00:00.000Z');
    expect(addDuration('2026-08-31T10:00:00.000Z', 'P1M')).toBe('2026-09-30T10:00:00.000Z');
    expect(addDuration('2026-01-31T10:00:00.000Z', 'P3M')).toBe('2026-04-30T10:00:00.000Z');
  });

  it('months first, then days (Jan 31 + P1M1D = Mar 1)', () => {
    expect(addDuration('2026-01-31T00:00:00.000Z', 'P1M1D')).toBe('2026-03-01T00:00:00.000Z');
  });

  it('a year from 29 February ends on 28 February', () => {
    expect(addDuration('2024-02-29T00:00:00.000Z', 'P1Y')).toBe('2025-02-28T00:00:00.000Z');
    expect(addDuration('2024-02-29T00:00:00.000Z', 'P4Y')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('time parts are exact and may cross midnight, month and year', () => {
    expect(addDuration('2026-12-31T23:59:59.000Z', 'PT1S')).toBe('2027-01-01T00:00:00.000Z');
    expect(addDuration('2026-12-31T23:00:00.000Z', 'P2MT2H')).toBe('2027-03-01T01:00:00.000Z');
    expect(addDuration('2026-03-28T12:00:00.000Z', 'PT48H')).toBe('2026-03-30T12:00:00.000Z');
  });

  it('accepts any UTC ISO input and answers with milliseconds', () => {
    expect(addDuration('2026-01-05T08:00Z', 'PT5S')).toBe('2026-01-05T08:00:05.000Z');
  });

  it('refuses a malformed duration loudly (configs are validated before)', () => {
    expect(() => addDuration(t, 'six weeks')).toThrow(/not an ISO-8601 duration/);
  });
});

describe('subtractDuration', () => {
  it.each([
    ['2026-03-04T12:00:00.000Z', 'P7D', '2026-02-25T12:00:00.000Z'],
    ['2026-03-04T12:00:00.000Z', 'P1W', '2026-02-25T12:00:00.000Z'],
    ['2026-03-04T12:00:00.000Z', 'PT72H', '2026-03-01T12:00:00.000Z'],
    ['2026-03-04T12:00:00.000Z', 'PT1S', '2026-03-04T11:59:59.000Z'],
    ['2026-01-01T00:00:00.000Z', 'PT1S', '2025-12-31T23:59:59.000Z'],
    ['2026-04-15T12:00:00.000Z', 'P1M', '2026-03-15T12:00:00.000Z'],
    ['2026-01-05T08:00:00.000Z', 'P13M', '2024-12-05T08:00:00.000Z'],
    ['2026-01-05T08:00:00.000Z', 'P1Y', '2025-01-05T08:00:00.000Z'],
  ])('%s minus %s is %s', (from, d, expected) => {
    expect(subtractDuration(from, d)).toBe(expected);
  });

  it('a calendar month back from the 31st ends on the last day of a shorter month', () => {
    expect(subtractDuration('2026-03-31T10:00:00.000Z', 'P1M')).toBe('2026-02-28T10:00:00.000Z');
    expect(subtractDuration('2024-03-31T10:00:00.000Z', 'P1M')).toBe('2024-02-29T10:00:00.000Z');
    expect(subtractDuration('2026-03-31T00:00:00.000Z', 'P1M1D')).toBe('2026-02-27T00:00:00.000Z');
  });

  it.each(['P7D', 'P3W', 'PT72H', 'PT1S', 'P2DT3H4M5S'])('subtracting %s undoes adding it', (d) => {
    const t = '2026-02-27T21:30:00.000Z';
    expect(subtractDuration(addDuration(t, d), d)).toBe(t);
  });
});
