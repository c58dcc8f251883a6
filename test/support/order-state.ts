import { newOrderState, type SalesOrderState } from '../../domain/order/index.js';

/** The unit tests' order: SO-20261123-0001 for C0001, three of P0001 at `firstUnitPrice` and two of P0002 at 2,500. */
export function twoLineOrder(firstUnitPrice: string): SalesOrderState {
  return newOrderState({
    orderNumber: 'SO-20261123-0001',
    customerCode: 'C0001',
    currency: 'CNY',
    createdBy: 'clerk.li',
    lines: [
      { lineNo: 1, productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '3', unitPrice: firstUnitPrice, taxRate: '0.13' },
      { lineNo: 2, productCode: 'P0002', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '2500', taxRate: '0.13' },
    ],
  });
}
