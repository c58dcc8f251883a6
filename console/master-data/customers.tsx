import { readApi } from '../api-call.js';
import { say } from '../i18n.js';
import { RowsTable } from '../layout.js';
import type { RecordSpec } from './records.js';

/** 客户: the fields a clerk keeps on the form; contacts, addresses and the pricing order stay with the API and the import. */
export const CUSTOMERS: RecordSpec = {
  path: 'customers',
  title: { zh: '客户', en: 'Customers' },
  one: { zh: '客户', en: 'Customer' },
  controls: { record: 'customer', title: { zh: '信用与收款控制', en: 'Credit and payment controls' } },
  listColumns: ['code', 'name', 'grade', 'approvalStatus', 'settlementTerms', 'billToCode', 'creditControl', 'creditLimit', 'active'],
  filters: [{ key: 'q', type: 'text' }, { key: 'grade', type: 'choice' }, { key: 'approvalStatus', type: 'choice' }, { key: 'active', type: 'flag' }],
  sorts: [
    { value: 'code', words: { zh: '编码', en: 'Code' } },
    { value: 'name', words: { zh: '名称', en: 'Name' } },
    { value: '-creditLimit', words: { zh: '信用额度从高到低', en: 'Credit limit, highest first' } },
    { value: '-createdAt', words: { zh: '最新建立', en: 'Newest first' } },
  ],
  fields: [
    { key: 'code', type: 'text', createOnly: true },
    { key: 'name', type: 'text', required: true },
    { key: 'region', type: 'text', nullable: true },
    { key: 'industry', type: 'text', nullable: true },
    { key: 'grade', type: 'choice' },
    { key: 'approvalStatus', type: 'choice' },
    { key: 'settlementTerms', type: 'choice' },
    { key: 'settlementDays', type: 'int' },
    { key: 'taxId', type: 'text', nullable: true },
    { key: 'invoiceAddress', type: 'text', nullable: true },
    { key: 'bankName', type: 'text', nullable: true },
    { key: 'bankAccount', type: 'text', nullable: true },
    { key: 'billToCode', type: 'text', nullable: true },
    { key: 'depositRatio', type: 'decimal' },
    { key: 'creditControl', type: 'choice' },
    { key: 'creditLimit', type: 'decimal' },
    { key: 'creditOverrunRate', type: 'decimal' },
    { key: 'currency', type: 'text' },
    { key: 'invoiceMode', type: 'choice' },
  ],
  more: async (record, session, api) => {
    const t = (zh: string, en: string) => say(session.lang, { zh, en });
    const code = encodeURIComponent(String(record.code));
    const prices = await readApi(api, session, `/prices/customer-prices?customerCode=${code}&limit=50`);
    const addresses = (record.addresses ?? []) as Record<string, unknown>[];
    return (
      <>
        <h2>{t('送货地址', 'Delivery addresses')}</h2>
        <RowsTable
          view={session}
          columns={[{ key: 'label', words: { zh: '名称', en: 'Label' } }, { key: 'address', words: { zh: '地址', en: 'Address' } }, { key: 'contact', words: { zh: '联系人', en: 'Contact' } }, { key: 'phone', words: { zh: '电话', en: 'Phone' } }, { key: 'isDefault', words: { zh: '默认', en: 'Default' }, kind: 'flag' }]}
          rows={addresses}
        />
        <h2>{t('客户价格', 'Customer prices')}</h2>
        {prices.ok ? (
          <RowsTable view={session} columns={['productCode', 'unitPrice', 'effectiveFrom', 'effectiveTo', 'active']} rows={(prices.body.items ?? []) as Record<string, unknown>[]} />
        ) : ''}
        <p>
          <a href={`/console/prices?customerCode=${code}`}>{t('维护客户价格', 'Customer prices')}</a> ·{' '}
          <a href={`/console/reports/customer-sales-detail?customerCode=${code}`}>{t('客户销货明细表', 'Customer sales detail')}</a> ·{' '}
          <a href={`/console?customerCode=${code}`}>{t('该客户的订单', "This customer's orders")}</a>
        </p>
      </>
    );
  },
};
