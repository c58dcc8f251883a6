import { describe, expect, it } from 'vitest';
import { checkVatDataChange, checkVatInvoiceData, unifiedCreditCodeProblem, type VatInvoiceData } from '../../domain/vat-invoice.js';
import { refusal } from '../support/refusal.js';

describe('unified social credit code (统一社会信用代码)', () => {
  it('accepts real codes', () => {
    for (const code of ['91350100M000100Y43', '911100001000079554', '91110108551385082Q']) expect(unifiedCreditCodeProblem(code)).toBeUndefined();
  });

  it('refuses a wrong check character, a letter the code never uses, and a wrong length', () => {
    expect(unifiedCreditCodeProblem('91350100M000100Y44')).toMatch(/check character should be 3/);
    expect(unifiedCreditCodeProblem('91350100M000100O43')).toMatch(/character 16 \("O"\)/);
    expect(unifiedCreditCodeProblem('91350100m000100Y43')).toMatch(/character 9/);
    expect(unifiedCreditCodeProblem('91350100M000100Y4')).toMatch(/18 characters/);
    expect(unifiedCreditCodeProblem('')).toMatch(/18 characters/);
  });
});

const ordinary: VatInvoiceData = {
  vatType: 'ordinary',
  buyerTaxId: null,
  buyerAddress: null,
  buyerBankName: null,
  buyerBankAccount: null,
  taxNumber: null,
  taxDate: null,
};
const dates = { issuedOn: '2026-11-20', today: '2026-11-25' };

describe('VAT invoice data', () => {
  it('a 普票 may go without a tax id; a 专票 (paper or electronic) may not', () => {
    expect(() => checkVatInvoiceData(ordinary, dates)).not.toThrow();
    for (const vatType of ['special', 'e_special'] as const) {
      expect(refusal(() => checkVatInvoiceData({ ...ordinary, vatType }, dates))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'buyerTaxId' });
    }
    expect(() => checkVatInvoiceData({ ...ordinary, vatType: 'special', buyerTaxId: '91350100M000100Y43' }, dates)).not.toThrow();
  });

  it('checks the tax id, the number with its date, and the date against the invoice and today', () => {
    expect(refusal(() => checkVatInvoiceData({ ...ordinary, buyerTaxId: '91350100M000100Y44' }, dates))).toMatchObject({ field: 'buyerTaxId' });
    expect(refusal(() => checkVatInvoiceData({ ...ordinary, taxNumber: '12345678' }, dates))).toMatchObject({ field: 'taxDate' });
    expect(refusal(() => checkVatInvoiceData({ ...ordinary, taxDate: '2026-11-21' }, dates))).toMatchObject({ field: 'taxNumber' });
    expect(refusal(() => checkVatInvoiceData({ ...ordinary, taxNumber: '1234567', taxDate: '2026-11-21' }, dates))).toMatchObject({ field: 'taxNumber' });
    expect(refusal(() => checkVatInvoiceData({ ...ordinary, taxNumber: '12345678', taxDate: '2026-11-19' }, dates))).toMatchObject({ field: 'taxDate' });
    expect(refusal(() => checkVatInvoiceData({ ...ordinary, taxNumber: '12345678', taxDate: '2026-11-26' }, dates))).toMatchObject({ field: 'taxDate' });
    expect(() => checkVatInvoiceData({ ...ordinary, taxNumber: '26312000000012345678', taxDate: '2026-11-25' }, dates)).not.toThrow();
  });

  it('freezes the data once the tax system numbered the invoice; the same data again is fine', () => {
    const issued = { ...ordinary, taxNumber: '12345678', taxDate: '2026-11-21' };
    expect(() => checkVatDataChange(ordinary, { ...ordinary, vatType: 'e_ordinary' }, 'INV-1')).not.toThrow();
    expect(() => checkVatDataChange(issued, { ...issued }, 'INV-1')).not.toThrow();
    expect(refusal(() => checkVatDataChange(issued, { ...issued, buyerAddress: '上海' }, 'INV-1'))).toMatchObject({ code: 'CONFLICT', field: 'buyerAddress' });
  });
});
