import { z } from '@hono/zod-openapi';
import { IsoDate, NonNegativeQuantity, Quantity } from '../../contracts/numbers.js';
import { Code, DocumentNumber, Reason, SingleLine } from '../../contracts/text.js';

const BatchNo = SingleLine(60);

export const ReceiptBody = z
  .object({
    warehouseCode: Code,
    lines: z
      .array(
        z
          .object({
            productCode: Code,
            quantity: Quantity,
            batchNo: BatchNo.optional().openapi({ description: 'Required for a batch-tracked product, refused otherwise' }),
            expiryDate: IsoDate.optional().openapi({ description: 'The batch expiry; required with a batch' }),
          })
          .strict(),
      )
      .min(1)
      .max(200),
  })
  .strict()
  .openapi('StockReceipt');

/** Signed: an increase ("5") or a decrease ("-3"), never zero; at most four decimals like every quantity. */
const SignedQuantity = z
  .string()
  .max(24)
  .regex(/^-?\d{1,14}(\.\d{1,4})?$/, 'a decimal number as a string, negative for a decrease, e.g. "5" or "-2.5"')
  .refine((v) => !/^-?0+(\.0+)?$/.test(v), 'must not be zero')
  .openapi({ example: '-2' });

export const AdjustmentBody = z
  .object({
    warehouseCode: Code,
    productCode: Code,
    quantity: SignedQuantity,
    reason: Reason.openapi({ example: 'counted 2 fewer on the shelf' }),
    batchNo: BatchNo.optional(),
  })
  .strict()
  .openapi('StockAdjustment');

export const TransferBody = z
  .object({
    fromWarehouseCode: Code.openapi({ example: 'WH-SH' }),
    toWarehouseCode: Code.openapi({ example: 'WH-BJ' }),
    lines: z.array(z.object({ productCode: Code, quantity: Quantity, batchNo: BatchNo.optional() }).strict()).min(1).max(200),
  })
  .strict()
  .openapi('StockTransfer');

export const MoveResponse = z
  .object({
    documentNumber: z.string().openapi({ example: 'GR-20261201-0001' }),
    backOrders: z.array(
      z.object({
        orderNumber: z.string(),
        outcome: z.string().openapi({ description: 'reserved (served in full), partly_reserved (waits for the rest), or the code that refused it' }),
        stillShort: z.string().optional().openapi({ description: 'What the order still waits for after this stock' }),
      }),
    ),
  })
  .openapi('StockMoveResult');

export const CountBody = z
  .object({
    warehouseCode: Code,
    lines: z
      .array(
        z
          .object({
            productCode: Code,
            countedQuantity: NonNegativeQuantity.openapi({ example: '48' }),
            batchNo: BatchNo.optional().openapi({ description: 'A batch-tracked product is counted per batch: one line each' }),
            expiryDate: IsoDate.optional().openapi({ description: 'Only for a batch the book does not know in this warehouse' }),
          })
          .strict(),
      )
      .min(1)
      .max(500),
  })
  .strict()
  .openapi('StockCount');

export const CountNumberParam = z.object({ number: DocumentNumber('SC-20261201-0001') });

export const CountSheet = z
  .object({
    number: z.string(),
    warehouseCode: z.string(),
    status: z.enum(['counted', 'approved']),
    countedBy: z.string(),
    approvedBy: z.string().nullable(),
    lines: z.array(z.object({ lineNo: z.number(), productCode: z.string(), batchNo: z.string().nullable(), expiryDate: z.string().nullable(), bookQuantity: z.string(), countedQuantity: z.string(), difference: z.string() })),
  })
  .openapi('StockCountSheet');

// A sheet comes with its lines (up to 500), so a page holds few sheets.
export const CountListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  status: z.enum(['counted', 'approved']).optional().openapi({ description: 'counted: waiting for approval' }),
});
export const CountList = z.object({ total: z.number(), items: z.array(CountSheet) }).openapi('StockCountList');

export const CountImportResult = z
  .object({ counts: z.array(CountSheet.extend({ created: z.boolean().openapi({ description: 'false: the same figures were imported before and wait for approval' }) })) })
  .openapi('StockCountImport');
