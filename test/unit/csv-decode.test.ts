import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeCsv } from '../../domain/csv.js';
import { DomainError } from '../../domain/errors.js';

const gb = (text: string) => new Uint8Array(iconv.encode(text, 'gb18030'));
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('reading an import file as Excel in China saves it', () => {
  it('reads GB18030 whose Chinese happens to be valid UTF-8 pairs as GB18030, not as Cyrillic', () => {
    // 小强 in GB18030 is D0 A1 C7 BF: as UTF-8 that is "Сǿ".
    expect(decodeCsv(gb('code,name\nP0301,小强\n'))).toBe('code,name\nP0301,小强\n');
    expect(decodeCsv(gb('code,name\nP0302,一业\n'))).toBe('code,name\nP0302,一业\n');
  });

  it('reads GB18030 whose first Chinese breaks UTF-8 only later in the line', () => {
    expect(decodeCsv(gb('code,name\nP0303,压力传感器\n'))).toBe('code,name\nP0303,压力传感器\n');
  });

  it('keeps UTF-8 as UTF-8: Chinese, European names, and a BOM', () => {
    expect(decodeCsv(utf8('code,name\nC1,北京京西五金\n'))).toBe('code,name\nC1,北京京西五金\n');
    expect(decodeCsv(utf8('code,name\nC2,Müller GmbH\n'))).toBe('code,name\nC2,Müller GmbH\n');
    expect(decodeCsv(utf8('\uFEFFcode,name\nC3,Сергей\n'))).toBe('code,name\nC3,Сергей\n');
    expect(decodeCsv(utf8('code,name\nC4,Сергей\n'), 'utf-8')).toBe('code,name\nC4,Сергей\n');
  });

  it('refuses UTF-8 damaged after real UTF-8 Chinese, with its line, instead of reading it as GB18030', () => {
    const bytes = utf8('code,name\nC1,北京\nC2,上海\n');
    const cut = new Uint8Array([...bytes.slice(0, bytes.length - 5), 0xe4, ...bytes.slice(bytes.length - 3)]);
    try {
      decodeCsv(cut);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).details).toMatchObject({ line: 3 });
    }
  });

  it('honours a declared GB18030 charset', () => {
    expect(decodeCsv(gb('名称\n小强\n'), 'GB2312')).toBe('名称\n小强\n');
  });
});
