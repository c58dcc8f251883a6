import { readApi } from '../api-call.js';
import { say } from '../i18n.js';
import { RowsTable } from '../layout.js';
import type { RecordSpec } from './records.js';

/** 产品: a product's fields, and on its page its stock per warehouse. */
export const PRODUCTS: RecordSpec = {
  path: 'products',
  title: { zh: '产品', en: 'Products' },
  one: { zh: '产品', en: 'Product' },
  controls: { record: 'product', title: { zh: '销售控制（最低售价、超交率）', en: 'Sales controls (price floor, over-delivery)' } },
  listColumns: ['code', 'name', 'spec', 'unit', 'category', 'listPrice', 'taxRate', 'priceFloorRate', 'safetyStock', 'active'],
  filters: [{ key: 'q', type: 'text' }, { key: 'category', type: 'text' }, { key: 'active', type: 'flag' }],
  sorts: [
    { value: 'code', words: { zh: '编码', en: 'Code' } },
    { value: 'name', words: { zh: '名称', en: 'Name' } },
    { value: '-listPrice', words: { zh: '售价从高到低', en: 'List price, highest first' } },
    { value: 'listPrice', words: { zh: '售价从低到高', en: 'List price, lowest first' } },
  ],
  fields: [
    { key: 'code', type: 'text', createOnly: true, required: true },
    { key: 'name', type: 'text', required: true },
    { key: 'spec', type: 'text', nullable: true },
    { key: 'unit', type: 'text' },
    { key: 'category', type: 'text', nullable: true },
    { key: 'costPrice', type: 'decimal' },
    { key: 'listPrice', type: 'decimal', required: true },
    { key: 'taxRate', type: 'decimal' },
    { key: 'priceFloorRate', type: 'decimal' },
    { key: 'overDeliveryRate', type: 'decimal' },
    { key: 'safetyStock', type: 'decimal' },
    { key: 'batchManaged', type: 'flag' },
    { key: 'shelfLifeDays', type: 'int', nullable: true },
  ],
  more: async (record, session, api) => {
    const t = (zh: string, en: string) => say(session.lang, { zh, en });
    const code = encodeURIComponent(String(record.code));
    const stock = await readApi(api, session, `/stock?productCode=${code}&limit=100`);
    return (
      <>
        <h2>{t('库存', 'Stock')}</h2>
        {stock.ok ? <RowsTable view={session} columns={['warehouseCode', 'onHand', 'reserved', 'available', 'safetyStock']} rows={(stock.body.items ?? []) as Record<string, unknown>[]} /> : ''}
        <p>
          <a href={`/console/reports/product-transactions?productCode=${code}`}>{t('产品交易记录', 'Product transactions')}</a> ·{' '}
          <a href={`/console/stock/moves?productCode=${code}`}>{t('库存流水', 'Stock moves')}</a> ·{' '}
          <a href={`/console/prices?productCode=${code}`}>{t('客户价格', 'Customer prices')}</a>
        </p>
      </>
    );
  },
};

/** 仓库: code and name; deactivated rather than deleted once stock has moved through it. */
export const WAREHOUSES: RecordSpec = {
  path: 'warehouses',
  title: { zh: '仓库', en: 'Warehouses' },
  one: { zh: '仓库', en: 'Warehouse' },
  listColumns: ['code', 'name', 'active'],
  filters: [{ key: 'q', type: 'text' }],
  sorts: [],
  fields: [
    { key: 'code', type: 'text', createOnly: true, required: true },
    { key: 'name', type: 'text', required: true },
  ],
};
