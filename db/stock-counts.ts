import { dec, numericText, plain } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { checkAdjustment, checkBatchHolds, checkCountApproval, checkCountLine, checkProduct, checkWarehouse } from '../domain/stock-moves.js';
import { changeBatch } from './batches.js';
import type { Sql, Tx } from './client.js';
import { nextDocumentNumber } from './numbering.js';

export interface CountInput {
  warehouseCode: string;
  lines: { productCode: string; countedQuantity: string; batchNo?: string | undefined; expiryDate?: string | undefined }[];
}

async function sheetView(tx: Tx | Sql, number: string) {
  const [sheet] = await tx`
    SELECT c.id, c.number, w.code AS warehouse_code, c.status, c.counted_by, c.approved_by FROM stock_counts c
    JOIN warehouses w ON w.id = c.warehouse_id WHERE c.number = ${number}`;
  if (!sheet) throw new DomainError('NOT_FOUND', `count ${number} does not exist`, 'number');
  const lines = await tx`
    SELECT l.line_no, p.code AS product_code, l.batch_no, l.expiry_date::text, l.book_qty, l.counted_qty, (l.counted_qty - l.book_qty) AS difference
    FROM stock_count_lines l JOIN products p ON p.id = l.product_id WHERE l.count_id = ${sheet.id} ORDER BY l.line_no`;
  return {
    number: sheet.number as string,
    warehouseCode: sheet.warehouse_code as string,
    status: sheet.status as 'counted' | 'approved',
    countedBy: sheet.counted_by as string,
    approvedBy: sheet.approved_by as string | null,
    lines: lines.map((l) => ({
      lineNo: l.line_no as number,
      productCode: l.product_code as string,
      batchNo: l.batch_no as string | null,
      expiryDate: l.expiry_date as string | null,
      bookQuantity: numericText(l.book_qty),
      countedQuantity: numericText(l.counted_qty),
      difference: numericText(l.difference),
    })),
  };
}

export const getStockCount = (sql: Sql, number: string) => sheetView(sql, number);

/**
 * Every refusal of a count sheet, line by line, with what it resolved: the API answers the first, an import lists
 * them all. The rules are domain/stock-moves.ts's.
 */
export async function countRefusals(tx: Tx | Sql, input: CountInput) {
  const [w] = await tx<{ id: string; code: string; active: boolean }[]>`SELECT id, code, active FROM warehouses WHERE code = ${input.warehouseCode}`;
  const refusals: DomainError[] = [];
  const refused = (check: () => void) => {
    try {
      check();
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      refusals.push(err);
    }
  };
  refused(() => checkWarehouse(w, input.warehouseCode, 'warehouseCode'));
  const products = new Map(
    (await tx<{ id: string; code: string; active: boolean; batch_managed: boolean }[]>`
      SELECT id, code, active, batch_managed FROM products WHERE code = ANY(${input.lines.map((l) => l.productCode)}::text[])`).map((p) => [p.code, p]),
  );
  const seen = new Set<string>();
  const rows = [];
  for (const [i, line] of input.lines.entries()) {
    const p = products.get(line.productCode);
    const facts = p && { code: p.code, active: p.active, batchManaged: p.batch_managed };
    const [book] =
      line.batchNo && p && w
        ? await tx<{ expiry_date: string }[]>`
            SELECT expiry_date::text FROM stock_batches WHERE product_id = ${p.id} AND warehouse_id = ${w.id} AND batch_no = ${line.batchNo}`
        : [];
    refused(() => {
      checkProduct(facts, line.productCode, `lines[${i}].productCode`);
      checkCountLine(facts, line, book && { expiryDate: book.expiry_date }, seen, `lines[${i}]`);
    });
    rows.push({ line, id: String(p?.id), lineNo: i + 1, expiryDate: line.batchNo ? (book?.expiry_date ?? line.expiryDate ?? null) : null });
  }
  return { refusals, warehouseId: w?.id, rows };
}

/** 盘点单 in the caller's transaction: what was counted beside the book at this moment; nothing in the ledger moves until it is approved. */
export async function writeStockCount(tx: Tx, input: CountInput, countedBy: string, businessDate: string, importKey?: string) {
  const { refusals, warehouseId, rows } = await countRefusals(tx, input);
  if (refusals[0]) throw refusals[0];
  const number = await nextDocumentNumber(tx, 'stock_count', businessDate);
  const [sheet] = await tx`
    INSERT INTO stock_counts (number, warehouse_id, counted_by, import_key) VALUES (${number}, ${warehouseId!}, ${countedBy}, ${importKey ?? null}) RETURNING id`;
  for (const r of rows) {
    // The book of a batch line is the batch's balance; of any other line, the level's.
    const book = r.line.batchNo
      ? tx`SELECT on_hand FROM stock_batches WHERE product_id = ${r.id} AND warehouse_id = ${warehouseId!} AND batch_no = ${r.line.batchNo}`
      : tx`SELECT on_hand FROM stock_levels WHERE product_id = ${r.id} AND warehouse_id = ${warehouseId!}`;
    await tx`
      INSERT INTO stock_count_lines (count_id, line_no, product_id, batch_no, expiry_date, book_qty, counted_qty)
      SELECT ${sheet!.id}, ${r.lineNo}, ${r.id}, ${r.line.batchNo ?? null}, ${r.expiryDate}, coalesce((${book}), 0), ${r.line.countedQuantity}`;
  }
  return sheetView(tx, number);
}

export async function recordStockCount(sql: Sql, input: CountInput, countedBy: string, businessDate: string) {
  return sql.begin((tx) => writeStockCount(tx, input, countedBy, businessDate));
}

/** 盘点单 by status, oldest first, each with its differences: what waits for an approver, or what was approved. */
export async function listStockCounts(sql: Sql, f: { status?: 'counted' | 'approved' | undefined; limit: number; offset: number }) {
  const rows = await sql<{ number: string; total: number }[]>`
    SELECT number, count(*) OVER ()::int AS total FROM stock_counts
    WHERE ${f.status ? sql`status = ${f.status}` : sql`true`} ORDER BY id LIMIT ${f.limit} OFFSET ${f.offset}`;
  return { total: rows[0]?.total ?? 0, items: await Promise.all(rows.map((r) => sheetView(sql, r.number))) };
}

/** The sheet an import made from the same figures and that still waits for approval, if any. */
export async function openImportedCount(tx: Tx, importKey: string) {
  const [row] = await tx<{ number: string }[]>`SELECT number FROM stock_counts WHERE import_key = ${importKey} AND status = 'counted'`;
  return row ? sheetView(tx, row.number) : undefined;
}

/** Approval turns each difference into an adjustment row under the sheet's number, all or nothing. */
export async function approveStockCount(sql: Sql, number: string, approver: string, key: string) {
  return sql.begin(async (tx) => {
    const [locked] = await tx`SELECT id, warehouse_id FROM stock_counts WHERE number = ${number} FOR UPDATE`;
    const sheet = await sheetView(tx, number);
    checkCountApproval(sheet, approver);
    const lines = await tx<{ line_no: number; product_id: string; batch_no: string | null; expiry_date: string | null; difference: string }[]>`
      SELECT line_no, product_id, batch_no, expiry_date::text, (counted_qty - book_qty)::text AS difference FROM stock_count_lines
      WHERE count_id = ${locked!.id} AND counted_qty <> book_qty ORDER BY product_id, batch_no`;
    for (const l of lines) {
      const at = `lines[${l.line_no - 1}].countedQuantity`;
      await tx`INSERT INTO stock_levels (product_id, warehouse_id) VALUES (${l.product_id}, ${locked!.warehouse_id}) ON CONFLICT DO NOTHING`;
      const [level] = await tx<{ on_hand: string; reserved: string }[]>`
        SELECT on_hand::text, reserved::text FROM stock_levels WHERE product_id = ${l.product_id} AND warehouse_id = ${locked!.warehouse_id} FOR UPDATE`;
      const delta = dec(l.difference);
      try {
        checkAdjustment({ onHand: level!.on_hand, reserved: level!.reserved }, l.difference);
        if (l.batch_no && delta.isNegative()) {
          const [batch] = await tx<{ on_hand: string }[]>`
            SELECT on_hand::text FROM stock_batches
            WHERE product_id = ${l.product_id} AND warehouse_id = ${locked!.warehouse_id} AND batch_no = ${l.batch_no} FOR UPDATE`;
          checkBatchHolds(batch && { onHand: batch.on_hand }, l.batch_no, delta.negated(), at);
        }
      } catch (err) {
        if (err instanceof DomainError) throw new DomainError(err.code, `line ${l.line_no}: ${err.message}`, at, err.details);
        throw err;
      }
      await tx`UPDATE stock_levels SET on_hand = on_hand + ${plain(delta)} WHERE product_id = ${l.product_id} AND warehouse_id = ${locked!.warehouse_id}`;
      await tx`
        INSERT INTO stock_moves (idempotency_key, product_id, warehouse_id, kind, on_hand_delta, reserved_delta, document_number, reason, batch_no, expiry_date)
        VALUES (${`${key}/${l.line_no}`}, ${l.product_id}, ${locked!.warehouse_id}, 'adjust', ${plain(delta)}, 0, ${number}, ${`stock count ${number}`},
                ${l.batch_no}, ${l.expiry_date})`;
      if (l.batch_no) {
        await changeBatch(tx, { productId: l.product_id, warehouseId: locked!.warehouse_id, batchNo: l.batch_no, expiryDate: l.expiry_date!, delta: plain(delta) });
      }
    }
    await tx`UPDATE stock_counts SET status = 'approved', approved_by = ${approver}, approved_at = now() WHERE id = ${locked!.id}`;
    return sheetView(tx, number);
  });
}
