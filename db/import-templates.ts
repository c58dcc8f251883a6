/** 批量导入: what each kind of file holds, as template columns with one example row. */
export const IMPORT_TEMPLATES = {
  customers: {
    columns: ['code', 'name', 'grade', 'region', 'industry', 'settlementTerms', 'settlementDays', 'taxId', 'approvalStatus', 'billToCode',
      'depositRatio', 'creditControl', 'creditLimit', 'creditOverrunRate', 'currency', 'contactName', 'contactPhone', 'deliveryAddress',
      'invoiceAddress', 'bankName', 'bankAccount'],
    required: ['name'],
    example: ['', '深圳新锐科技 Shenzhen Xinrui Tech', 'regular', 'South', 'Electronics', 'net', '30', '91440300MA5XXXXXXX', 'approved', '',
      '0.1', 'customer', '200000', '0.05', 'CNY', 'Zhou Min', '+86 755 0000 0000', '深圳市南山区科技园 1 号',
      '深圳市南山区科技园 1 号 0755-00000000', '招商银行深圳分行', '755900000000000'],
  },
  products: {
    columns: ['code', 'name', 'spec', 'unit', 'category', 'costPrice', 'listPrice', 'taxRate', 'priceFloorRate', 'overDeliveryRate',
      'safetyStock', 'batchManaged', 'shelfLifeDays'],
    required: ['code', 'name', 'listPrice'],
    example: ['P0100', '温度传感器 Temperature sensor', 'TS-200', 'pcs', 'Sensors', '60', '98.50', '0.13', '0.8', '0.05', '20', 'false', ''],
  },
  opening_stock: {
    columns: ['productCode', 'warehouseCode', 'quantity'],
    required: ['productCode', 'warehouseCode', 'quantity'],
    example: ['P0001', 'WH-SH', '100'],
  },
  customer_prices: {
    columns: ['customerCode', 'productCode', 'unitPrice', 'effectiveFrom', 'effectiveTo'],
    required: ['customerCode', 'productCode', 'unitPrice', 'effectiveFrom'],
    example: ['C0001', 'P0001', '105.00', '2026-01-01', '2026-12-31'],
  },
  // 期初未结订单: one row per line; the rows with the same orderRef (the old system's number) are one order.
  opening_orders: {
    columns: ['orderRef', 'customerCode', 'productCode', 'warehouseCode', 'quantity', 'unitPrice', 'expectedDeliveryDate', 'deliveredQty',
      'shortfallPolicy', 'depositRatio', 'depositAmount', 'shipTo', 'contact', 'salesperson', 'department', 'settlementTerms', 'settlementDays'],
    required: ['orderRef', 'customerCode', 'productCode', 'warehouseCode', 'quantity', 'deliveredQty'],
    example: ['旧系统-2025-0888', 'C0001', 'P0001', 'WH-SH', '10', '105.00', '2026-01-20', '4', 'block', '', '', '', '', '', '华东销售部', '', ''],
  },
  // 盘点单: one row per product counted (per batch of a batch-tracked one); the rows of one warehouse are one count sheet.
  stock_counts: {
    columns: ['warehouseCode', 'productCode', 'countedQuantity', 'batchNo', 'expiryDate'],
    required: ['warehouseCode', 'productCode', 'countedQuantity'],
    example: ['WH-SH', 'P0001', '48', '', ''],
  },
  // 增值税发票信息: the tax system's number and date and the buyer's data, per back-office invoice; blank cells keep what is recorded.
  invoice_tax_data: {
    columns: ['invoice', 'vatType', 'buyerTaxId', 'buyerAddress', 'buyerBankName', 'buyerBankAccount', 'taxNumber', 'taxDate'],
    required: ['invoice'],
    example: ['INV-20261123-0001', 'special', '91350100M000100Y43', '福州市鼓楼区五四路 1 号 0591-00000000', '工商银行福州分行', '1402000000000000000',
      '26352000000012345678', '2026-11-23'],
  },
  // 汇率: one rate per currency and day, to the base currency (POST /finance/exchange-rates/import).
  exchange_rates: {
    columns: ['currency', 'date', 'fxRate'],
    required: ['currency', 'date', 'fxRate'],
    example: ['USD', '2026-11-23', '7.1234'],
  },
} as const;
export type ImportKind = keyof typeof IMPORT_TEMPLATES;
/** The master-data kinds, written by the generic importer; opening orders and counts go through their own documents' paths. */
export const MASTER_IMPORT_KINDS = ['customers', 'products', 'opening_stock', 'customer_prices'] as const satisfies readonly ImportKind[];
export type MasterImportKind = (typeof MASTER_IMPORT_KINDS)[number];

