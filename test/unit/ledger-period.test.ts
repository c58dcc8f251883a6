import { describe, expect, it } from 'vitest';
import { periodDays } from '../../db/ledger/read.js';

describe('a trial balance period (YYYY-MM)', () => {
  it('runs from the first to the last day of its month, in any year and in a leap February', () => {
    expect(periodDays('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodDays('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    // A year below 100 is that year, not 19xx.
    expect(periodDays('0001-01')).toEqual({ from: '0001-01-01', to: '0001-01-31' });
    expect(periodDays('0099-12')).toEqual({ from: '0099-12-01', to: '0099-12-31' });
    // The calendar's last month: there is no next month to count back from.
    expect(periodDays('9999-12')).toEqual({ from: '9999-12-01', to: '9999-12-31' });
  });

  it('refuses year 0, which has no days (the database would fail on it), naming the period', () => {
    expect(() => periodDays('0000-01')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'period' }));
  });
});
