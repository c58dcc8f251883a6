import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../../activities/index.js';
import type { IssuedInvoice } from '../../activities/invoicing.js';
import type { RecordedReceipt } from '../../activities/receipts.js';
import { D, dec, money, type D as Dec } from '../../domain/decimal.js';
import { invoiceTotals } from '../../domain/order/index.js';

/** One call a stub took, with the workflow's key and when (wall clock) it came. */
export interface StubCall {
  name: keyof Activities;
  input: any;
  at: number;
}

/** How the stubbed invoices fall due, from the moment they are issued (tests use seconds). */
export interface StubSchedule {
  overdueAfterMs: number;
  dunningAfterMs: number[];
}

/**
 * Every activity the order workflow may call, as stubs with the real signatures
 * (the object is typed as the real `Activities`, so a changed signature fails
 * the typecheck): they keep the documents in memory, answer a repeated key with
 * the first answer like `once()` does, and record each call for the test.
 */
export function stubActivities(options: { schedule: StubSchedule }) {
  const calls: StubCall[] = [];
  const results = new Map<string, unknown>();
  let numbers = 0;
  /** Failures to throw instead of the next answers of an activity (a test's poison). */
  const failNext = new Map<keyof Activities, ApplicationFailure[]>();

  type In<K extends keyof Activities> = Parameters<Activities[K]>[0];
  type Out<K extends keyof Activities> = Awaited<ReturnType<Activities[K]>>;
  function step<K extends keyof Activities>(name: K, answer: (input: In<K>) => Out<K>, keyOf = (input: In<K>) => (input as { key: string }).key) {
    return async (input: In<K>): Promise<Out<K>> => {
      calls.push({ name, input, at: Date.now() });
      const failure = failNext.get(name)?.shift();
      if (failure) throw failure;
      const key = keyOf(input);
      if (!results.has(key)) results.set(key, answer(input));
      return results.get(key) as Out<K>;
    };
  }
  /** What each stubbed invoice has open, by order, oldest first (a receipt pays them in that order). */
  const open: { order: string; invoice: string; open: Dec }[] = [];
  const unused = (name: string) => async (..._args: unknown[]): Promise<never> => {
    throw ApplicationFailure.nonRetryable(`${name} is not part of these tests`);
  };
  const next = (prefix: string) => `${prefix}-${++numbers}`;

  const activities: Activities = {
    reserveStock: step('reserveStock', () => [{ lineNo: 1, quantity: '10' }]),
    releaseStock: step('releaseStock', () => []),
    issueDeliveryNote: step('issueDeliveryNote', (i) => ({ number: next('DN'), lines: i.lines })),
    issueInvoice: step('issueInvoice', (i): IssuedInvoice => {
      const now = Date.now();
      const totals = invoiceTotals(i.lines);
      const number = next('INV');
      open.push({ order: i.orderNumber, invoice: number, open: dec(totals.gross) });
      return {
        number,
        ...totals,
        issuedOn: '2026-12-01',
        dueOn: '2026-12-01',
        overdueAt: now + options.schedule.overdueAfterMs,
        dunningAt: options.schedule.dunningAfterMs.map((d) => now + options.schedule.overdueAfterMs + d),
        applied: [],
      };
    }),
    issueMonthlyInvoice: unused('issueMonthlyInvoice'),
    reviseDraft: unused('reviseDraft'),
    recordReceipt: step('recordReceipt', (i): RecordedReceipt => {
      const number = next('RC');
      let left = dec(i.amount);
      const applied: RecordedReceipt['applied'] = [];
      for (const item of open.filter((o) => o.order === i.orderNumber && o.open.greaterThan(0))) {
        const take = D.min(item.open, left);
        if (take.isZero()) break;
        item.open = item.open.minus(take);
        left = left.minus(take);
        applied.push({ receipt: number, invoice: item.invoice, amount: money(take), orderNumber: item.order });
      }
      return {
        number,
        amount: i.amount,
        payerCode: 'C0001',
        allocations: applied.map((a) => ({ invoiceNumber: a.invoice, amount: a.amount })),
        applied,
        advance: money(left),
        currency: 'CNY',
        fxRate: '1',
        baseAmount: i.amount,
        exchangeDifference: '0.00',
      };
    }),
    setOrderStatus: step('setOrderStatus', () => undefined),
    closeOrderLine: step('closeOrderLine', () => undefined),
    recordDunningNotice: step('recordDunningNotice', () => ({ open: '0.00' })),
    writeOffBadDebt: unused('writeOffBadDebt'),
    recordRefusedBankNotice: step('recordRefusedBankNotice', () => undefined),
    postApprovalRequest: step('postApprovalRequest', () => ({ deliveries: 1 })),
    updateApprovalMessage: step('updateApprovalMessage', () => ({ deliveries: 1 })),
    approveOrder: step(
      'approveOrder',
      (i) => ({ checks: [], rules: [], approval: { actor: i.actor, role: 'approver' as const, ruleId: 1 }, reserved: [{ lineNo: 1, quantity: '10' }] }),
      (i) => i.approvalKey,
    ),
    rejectOrder: step('rejectOrder', () => undefined),
    approvalContext: async () => ({
      checks: [],
      rules: [{ id: 1, kind: 'amount' as const, minAmount: '0', requiredRole: 'approver' as const, description: 'every order' }],
    }),
    recordApprovalNotice: step('recordApprovalNotice', () => undefined),
    recordOverdueNotice: step('recordOverdueNotice', () => undefined),
    issueShippingNotice: unused('issueShippingNotice'),
    recordQualityCheck: unused('recordQualityCheck'),
    recordChangeApprovalNotice: unused('recordChangeApprovalNotice'),
    recordOrderChange: unused('recordOrderChange'),
    approveOrderChange: unused('approveOrderChange'),
    rejectOrderChange: unused('rejectOrderChange'),
    reviewOrderChange: unused('reviewOrderChange'),
    recordReturn: unused('recordReturn'),
    recordAllowance: unused('recordAllowance'),
    recordRefund: unused('recordRefund'),
  };
  return {
    activities,
    calls,
    called: (name: keyof Activities) => calls.filter((c) => c.name === name),
    failNext(name: keyof Activities, failure: ApplicationFailure) {
      failNext.set(name, [...(failNext.get(name) ?? []), failure]);
    },
  };
}
