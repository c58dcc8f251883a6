import type { Client } from '@temporalio/client';
import type { Child } from 'hono/jsx';
import { liveOrderState } from '../api/orders/workflow-commands.js';
import type { Sql } from '../db/client.js';
import { orderChanges, type OrderChangeView } from '../db/order-changes.js';
import { orderDocuments, type OrderDocuments } from '../db/orders.js';
import { batchSuggestion, type BatchSuggestion } from '../db/batches.js';
import { businessDate } from '../domain/calendar.js';
import { dec } from '../domain/decimal.js';
import type { Role } from '../domain/authorization.js';
import { orderOffers, type OrderOffers } from '../domain/order/available.js';
import { money, qty } from './format.js';
import { label, say, type Lang, type View } from './i18n.js';
import { RowsTable } from './layout.js';
import { OrderChecks } from './order-actions.js';
import { RejectionList } from './order-draft.js';
import { OrderCommands } from './order-forms.js';
import { OrderHeaderFacts } from './order-header.js';
import type { ConsoleSession } from './session.js';

/** Everything the order page shows but its timeline and write-offs: the document, its changes, names, and what may be done now. */
export interface OrderPageData {
  order: OrderDocuments;
  changes: OrderChangeView[];
  productNames: Map<string, string>;
  warehouseNames: Map<string, string>;
  offers: OrderOffers | undefined;
  amountDue: string | undefined;
  /** FEFO per open batch-tracked line, read only when a delivery is offered (the delivery form shows it). */
  batches?: BatchSuggestion | undefined;
}

/** Names of the codes a page shows (the console reads master data; it never writes business tables). */
export async function namesOf(sql: Sql, table: 'products' | 'warehouses', codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = table === 'products'
    ? await sql<{ code: string; name: string }[]>`SELECT code, name FROM products WHERE code = ANY(${codes})`
    : await sql<{ code: string; name: string }[]>`SELECT code, name FROM warehouses WHERE code = ANY(${codes})`;
  return new Map(rows.map((r) => [r.code, r.name]));
}

export async function orderPageData(deps: { sql: Sql; temporal: Client; timeZone?: string }, number: string, actor: string, role?: Role): Promise<OrderPageData | undefined> {
  const order = await orderDocuments(deps.sql, number);
  if (!order) return undefined;
  const [changes, productNames, warehouseNames, live] = await Promise.all([
    orderChanges(deps.sql, number),
    namesOf(deps.sql, 'products', [...new Set(order.lines.map((l) => l.productCode))]),
    namesOf(deps.sql, 'warehouses', [...new Set(order.lines.map((l) => l.warehouseCode))]),
    liveOrderState(deps, number),
  ]);
  const offers = live ? orderOffers(live, actor, role) : undefined;
  const batches = offers?.commands.has('deliver') && deps.timeZone ? await batchSuggestion(deps.sql, number, businessDate(new Date(), deps.timeZone)) : undefined;
  return { order, changes: changes ?? [], productNames, warehouseNames, offers, amountDue: live?.amountDue, batches };
}

/** The order's head: customer, status, totals, who created and approved it, its header fields and its printable confirmation. */
export function OrderHeader(props: { data: OrderPageData; view: View }) {
  const { order } = props.data;
  const lang = props.view.lang;
  const w = (zh: string, en: string) => say(lang, { zh, en });
  return (
    <>
      <p>
        {order.customerCode} {order.customerName} · <strong data-status={order.status}>{label(lang, order.status)}</strong> · {label(lang, 'net')}{' '}
        {money(order.totals.net)} · {label(lang, 'tax')} {money(order.totals.tax)} · {label(lang, 'gross')} <span data-total="gross">{money(order.totals.gross)}</span>{' '}
        {order.currency} · {label(lang, 'createdBy')} {order.createdBy}
        {order.approvedBy ? ` · ${w('审核人', 'approved by')} ${order.approvedBy}` : ''}
        {order.rejectedBy ? ` · ${w('驳回人', 'rejected by')} ${order.rejectedBy}: ${order.rejectReason ?? ''}` : ''}
        {order.revision > 0 ? ` · ${label(lang, 'revision')} ${order.revision}` : ''}
      </p>
      <OrderHeaderFacts lang={lang} header={order.header} />
      <RejectionList lang={lang} order={order} />
      <p><a href={`/console/documents/order/${order.number}`} data-document="order">{w('订单确认书（打印）', 'Order confirmation (print)')}</a></p>
    </>
  );
}

const linesText = (lines: { orderLineNo: number; quantity?: string; plannedQty?: string }[]) =>
  lines.map((l) => `${l.orderLineNo} × ${qty(l.quantity ?? l.plannedQty ?? '')}`).join(', ');

/** Lines, checks, the commands this user may send, and every document issued against the order. */
export function OrderBody(props: { data: OrderPageData; session: ConsoleSession }) {
  const { data, session } = props;
  const { order } = data;
  const lang: Lang = session.lang;
  const w = (zh: string, en: string) => say(lang, { zh, en });
  const lines = order.lines.map((l) => ({
    ...l,
    productName: data.productNames.get(l.productCode),
    warehouseName: data.warehouseNames.get(l.warehouseCode),
    closeState: `close.${l.closeStatus}`,
  }));
  const doc = (kind: string) => (r: Record<string, unknown>, col: string) => (col === 'number' ? `/console/documents/${kind}/${String(r.number)}` : undefined);
  return (
    <>
      <h2>{w('明细', 'Lines')}</h2>
      <RowsTable
        view={session}
        columns={['lineNo', 'productCode', 'warehouseCode', 'quantity', 'unitPrice', 'net', 'tax', 'expectedDeliveryDate', 'reservedQty', 'deliveredQty', 'invoicedQty', 'returnedQty', 'closeState']}
        rows={lines}
      />
      <h2>{w('审核前检查', 'Checks')}</h2>
      <OrderChecks lang={lang} checks={order.checks} />
      <h2>{w('操作', 'Commands')}</h2>
      {data.changes.filter((ch) => ch.status === 'pending_approval').map((ch) => (
        <p class="failed" data-pending-change={ch.version}>
          <a href={`/console/orders/${order.number}/changes/${ch.version}`}>{w(`订单变更单 ${ch.version} 待审核`, `Order change ${ch.version} waits for approval`)}</a>
          {ch.approvalReasons.length ? `: ${ch.approvalReasons.join('; ')}` : ''}
        </p>
      ))}
      <OrderCommands order={{ ...order, lines }} session={session} offers={data.offers} amountDue={data.amountDue} batches={data.batches} />
      <h2>{w('单据', 'Documents')}</h2>
      <section class="documents">
        {[data.changes, order.shippingNotices, order.deliveryNotes, order.invoices, order.returns, order.creditNotes, order.receipts].every((d) => d.length === 0)
          ? <p class="muted">{w('尚无单据。', 'No documents yet.')}</p> : ''}
        <DocumentList lang={lang} title={{ zh: '订单变更单', en: 'Order changes' }} count={data.changes.length}>
          <RowsTable
            view={session}
            columns={['version', 'changeState', 'reason', 'requestedBy', 'requestedAt', 'grossBefore', 'grossAfter', 'decidedBy', { key: 'print', words: { zh: '打印', en: 'Print' } }]}
            rows={data.changes.map((ch) => ({ ...ch, changeState: `change.${ch.status}`, print: w('打印', 'print') }))}
            link={(r, col) =>
              col === 'version' ? `/console/orders/${order.number}/changes/${String(r.version)}`
              : col === 'print' ? `/console/documents/change/${order.number}?version=${String(r.version)}` : undefined}
          />
        </DocumentList>
        <DocumentList lang={lang} title={{ zh: '出货通知单', en: 'Shipping notices' }} count={order.shippingNotices.length}>
          <RowsTable
            view={session}
            columns={['number', 'qualityState', 'noticeState', { key: 'noteLines', words: { zh: '通知数量（项次 × 数量）', en: 'Planned (line × qty)' } }]}
            rows={order.shippingNotices.map((n) => ({
              number: n.number,
              qualityState: `quality.${n.qualityResult ?? (n.requiresQualityCheck ? 'waiting' : 'none')}`,
              noticeState: n.lines.some((l) => dec(l.actualQty).gt(0)) ? 'notice.delivered' : 'notice.open',
              noteLines: linesText(n.lines),
            }))}
          />
        </DocumentList>
        <DocumentList lang={lang} title={{ zh: '销货单', en: 'Delivery notes' }} count={order.deliveryNotes.length}>
          <RowsTable
            view={session}
            columns={['number', 'createdAt', 'carrier', 'trackingNumber', { key: 'noteLines', words: { zh: '出货（项次 × 数量）', en: 'Shipped (line × qty)' } }]}
            rows={order.deliveryNotes.map((d) => ({ ...d, noteLines: linesText(d.lines) }))}
            link={doc('delivery-note')}
          />
        </DocumentList>
        <DocumentList lang={lang} title={{ zh: '发票', en: 'Invoices' }} count={order.invoices.length}>
          <RowsTable view={session} columns={['number', 'issuedOn', 'dueOn', 'net', 'tax', 'gross', 'paid']} rows={order.invoices} link={doc('invoice')} />
        </DocumentList>
        <DocumentList lang={lang} title={{ zh: '销退与折让', en: 'Returns and allowances' }} count={order.returns.length}>
          <RowsTable
            view={session}
            columns={['number', 'returnKind', 'deliveryNote', 'disposition', 'reason', 'recordedBy', 'gross', { key: 'noteLines', words: { zh: '退回（项次 × 数量）', en: 'Returned (line × qty)' } }]}
            rows={order.returns.map((r) => ({
              ...r,
              returnKind: `returnKind.${r.kind}`,
              disposition: r.disposition ? `disposition.${r.disposition}` : null,
              noteLines: r.kind === 'return' ? linesText(r.lines) : '',
            }))}
            link={(r, col) => (col === 'deliveryNote' && r.deliveryNote ? `/console/documents/delivery-note/${String(r.deliveryNote)}` : undefined)}
          />
        </DocumentList>
        <DocumentList lang={lang} title={{ zh: '红字发票（贷项）', en: 'Credit notes' }} count={order.creditNotes.length}>
          <RowsTable
            view={session}
            columns={['number', 'invoice', 'salesReturn', 'issuedOn', 'net', 'tax', 'gross', 'applied']}
            rows={order.creditNotes}
            link={(r, col) =>
              col === 'number' ? `/console/documents/credit-note/${String(r.number)}` : col === 'invoice' ? `/console/documents/invoice/${String(r.invoice)}` : undefined}
          />
        </DocumentList>
        <DocumentList lang={lang} title={{ zh: '收款单', en: 'Receipts' }} count={order.receipts.length}>
          <RowsTable view={session} columns={['number', 'receivedOn', 'method', 'amount']} rows={order.receipts.map((r) => ({ ...r, method: `method.${r.method}` }))} />
        </DocumentList>
      </section>
    </>
  );
}

/** One kind of document, shown only when the order has any. */
function DocumentList(props: { lang: Lang; title: { zh: string; en: string }; count: number; children: Child }) {
  return (
    <>
      {props.count > 0 ? <><h3>{say(props.lang, props.title)} <span class="muted">({props.count})</span></h3>{props.children}</> : ''}
    </>
  );
}
