import { describe, expect, it } from 'vitest';
import { grouped, money, qty, shown, when } from '../../console/format.js';

const zh = { lang: 'zh-CN' as const, timeZone: 'Asia/Shanghai' };
const en = { lang: 'en' as const, timeZone: 'Asia/Shanghai' };

describe('console formats', () => {
  it('groups thousands on the digits, never through a float', () => {
    expect(grouped('1234567.5')).toBe('1,234,567.5');
    expect(grouped('-1000')).toBe('-1,000');
    expect(grouped('999')).toBe('999');
    expect(money('99999999999999999.99')).toBe('99,999,999,999,999,999.99');
    expect(money('1234567.5')).toBe('1,234,567.50');
    expect(money('33.333')).toBe('33.333');
    expect(money('0')).toBe('0.00');
    expect(qty('1200.0000')).toBe('1,200');
    expect(qty('0.5000')).toBe('0.5');
    expect(money('not a number')).toBe('not a number');
  });

  it('tells the time in the business time zone', () => {
    expect(when('2026-12-01T17:30:00Z', 'Asia/Shanghai')).toBe('2026-12-02 01:30');
    expect(when('2026-12-01T17:30:00Z', 'UTC')).toBe('2026-12-01 17:30');
  });

  it('shows flags and codes in the user language', () => {
    expect(shown('Y', 'flag', zh)).toBe('是');
    expect(shown(false, 'flag', en)).toBe('No');
    expect(shown('PartiallyDelivered', 'code', zh)).toBe('部分出货');
    expect(shown('PartiallyDelivered', 'code', en)).toBe('Partially delivered');
    expect(shown('PartiallyDelivered', 'text', en)).toBe('PartiallyDelivered');
    expect(shown(null, 'money', en)).toBe('');
  });
});

describe('console words', () => {
  it('defines each key in one area only, so no area renames another one\'s column', async () => {
    const { AREA_WORDS } = await import('../../console/words/index.js');
    const owners = new Map<string, string[]>();
    for (const [area, words] of Object.entries(AREA_WORDS)) for (const key of Object.keys(words)) owners.set(key, [...(owners.get(key) ?? []), area]);
    expect([...owners].filter(([, areas]) => areas.length > 1)).toEqual([]);
  });
});
