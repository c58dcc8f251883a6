import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergeTimeline, type TimelineEvent } from '../../api/timeline/event.js';
import { foldTimeline } from '../../api/timeline/fold.js';
import { historyToTimeline, pendingActivitiesToTimeline } from '../../api/timeline/history.js';
import type { SalesOrderState } from '../../domain/order/index.js';
import { timerSummary } from '../../workflows/sales-order/timer-names.js';
import { historyFromJson } from '../../runtime/history-json.js';

/**
 * A history recorded from a real order (test/api/timeline.test.ts): approve with an
 * Idempotency-Key, a delivery whose activity failed once (a CHECK refused its row) and
 * succeeded on attempt 2, invoice, receipt, completion.
 */
const recorded = historyFromJson(JSON.parse(readFileSync(new URL('./fixtures/order-history.json', import.meta.url), 'utf8')));
const events = recorded.events ?? [];

/** Synthetic events go through the same proto-JSON parsing as recorded ones. */
const runOf = (evts: object[]) => historyFromJson({ events: evts }).events ?? [];
const ts = (iso: string) => ({ seconds: Math.floor(Date.parse(iso) / 1000), nanos: (Date.parse(iso) % 1000) * 1e6 }) as never;

describe('workflow history → timeline', () => {
  const timeline = historyToTimeline([{ runId: 'run-1', events }]);
  const ofKind = (kind: string) => timeline.filter((e) => e.kind === kind);

  it('names every command with its update id and who sent it', () => {
    expect(ofKind('update.accepted').map((e) => [e.details!.command, e.actor])).toEqual([
      ['approve', 'manager.wang'],
      ['deliver', 'warehouse.zhao'],
      ['invoice', 'finance.chen'],
      ['recordReceipt', 'finance.chen'],
    ]);
    expect(ofKind('update.accepted')[0]!.updateId).toBe('approve-key-0001');
    const completed = ofKind('update.completed');
    expect(completed.map((e) => e.details!.command)).toEqual(['approve', 'deliver', 'invoice', 'recordReceipt']);
    expect(completed.map((e) => e.updateId)).toEqual(ofKind('update.accepted').map((e) => e.updateId));
  });

  it('shows activities with their attempt, the failure before a retry, and their duration', () => {
    expect(ofKind('activity.scheduled').map((e) => e.details!.activity)).toEqual([
      'reserveStock',
      'issueDeliveryNote',
      'issueInvoice',
      'recordReceipt',
      'setOrderStatus',
    ]);
    const delivery = ofKind('activity.started').find((e) => e.details!.activity === 'issueDeliveryNote')!;
    expect(delivery.details!.attempt).toBe(2);
    expect((delivery.details!.lastFailure as { message: string }).message).toContain('violates check constraint "blocks_deliveries"');
    const done = ofKind('activity.completed').find((e) => e.details!.activity === 'issueDeliveryNote')!;
    expect(done.details!.attempt).toBe(2);
    // Scheduled at .206, completed at .227 one second later: the retry waited 1 s.
    expect(done.details!.durationMs).toBe(1021);
  });

  it('starts with the workflow, ends with its result, leaves out workflow-task bookkeeping, keeps history order', () => {
    expect(timeline[0]).toMatchObject({ kind: 'workflow.started', runId: 'run-1', eventId: 1, details: { workflowType: 'salesOrder' } });
    expect(timeline.at(-1)).toMatchObject({ kind: 'workflow.completed', details: { status: 'Completed' } });
    expect(timeline).toHaveLength(25);
    const ids = timeline.map((e) => e.eventId!);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('follows a continue-as-new into the next run, with timers and a refused command', () => {
    const first = [
      { eventId: '1', eventTime: '2026-01-01T00:00:00Z', workflowExecutionStartedEventAttributes: { workflowType: { name: 'salesOrder' }, taskQueue: { name: 'q' } } },
      { eventId: '5', eventTime: '2026-01-01T00:00:01Z', timerStartedEventAttributes: { timerId: '1', startToFireTimeout: '14400s' } },
      { eventId: '6', eventTime: '2026-01-01T04:00:01Z', timerFiredEventAttributes: { timerId: '1', startedEventId: '5' } },
      { eventId: '9', eventTime: '2026-01-01T04:00:02Z', workflowExecutionContinuedAsNewEventAttributes: { newExecutionRunId: 'run-2' } },
    ];
    const second = [
      { eventId: '1', eventTime: '2026-01-01T04:00:02Z', workflowExecutionStartedEventAttributes: { workflowType: { name: 'salesOrder' }, continuedExecutionRunId: 'run-1' } },
      {
        eventId: '5',
        eventTime: '2026-01-01T05:00:00Z',
        workflowExecutionUpdateAcceptedEventAttributes: {
          acceptedRequest: { meta: { updateId: 'u-1' }, input: { name: 'cancel', args: { payloads: [] } } },
        },
      },
      {
        eventId: '8',
        eventTime: '2026-01-01T05:00:01Z',
        workflowExecutionUpdateCompletedEventAttributes: {
          meta: { updateId: 'u-1' },
          outcome: { failure: { message: 'activity failed', cause: { message: 'order is Delivered', applicationFailureInfo: { type: 'INVALID_STATE' } } } },
        },
      },
    ];
    const t = historyToTimeline([
      { runId: 'run-1', events: runOf(first) },
      { runId: 'run-2', events: runOf(second) },
    ]);
    expect(t.map((e) => [e.runId, e.kind])).toEqual([
      ['run-1', 'workflow.started'],
      ['run-1', 'timer.started'],
      ['run-1', 'timer.fired'],
      ['run-1', 'workflow.continued_as_new'],
      ['run-2', 'workflow.continued'],
      ['run-2', 'update.accepted'],
      ['run-2', 'update.failed'],
    ]);
    expect(t[1]!.details).toEqual({ timerId: '1', seconds: 14400 });
    expect(t[3]!.details).toEqual({ newRunId: 'run-2' });
    expect(t[6]).toMatchObject({ updateId: 'u-1', details: { command: 'cancel', failure: { message: 'order is Delivered', type: 'INVALID_STATE' } } });
  });
});

describe('an order of process version 2 (local activities)', () => {
  // Recorded by npm run histories:samples: approve, two deliveries, invoice, receipt.
  const v2 = historyFromJson(JSON.parse(readFileSync(new URL('../histories/plain-order.v2.json', import.meta.url), 'utf8')));
  const timeline = historyToTimeline([{ runId: 'run-v2', events: v2.events ?? [] }]);

  it('shows each local activity once, by name, as completed with its attempt', () => {
    const local = timeline.filter((e) => e.details?.['local'] === true);
    // The approval is the one local activity; the opening checks came with the start, credit is checked inside
    // the delivery's and the invoice's own activities.
    expect(local.map((e) => [e.kind, e.details!['activity']])).toEqual([['activity.completed', 'approveOrder']]);
    expect(timeline.filter((e) => e.kind === 'activity.scheduled').map((e) => e.details!['activity'])).toEqual([
      'postApprovalRequest',
      'updateApprovalMessage',
      'issueDeliveryNote',
      'issueDeliveryNote',
      'issueInvoice',
      'recordReceipt',
      'setOrderStatus',
    ]);
    for (const e of local) {
      expect(e.details!['attempt']).toBe(1);
      expect(e.summary).toMatch(/^local activity \w+ completed \(attempt 1\)$/);
    }
  });

  it('upserts a search attribute only when its value changed', () => {
    const seen = new Map<string, string>();
    for (const e of v2.events ?? []) {
      const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
      if (!fields) continue;
      for (const [name, payload] of Object.entries(fields)) {
        if (name === 'TemporalChangeVersion') continue;
        const value = Buffer.from(payload.data ?? new Uint8Array()).toString();
        expect(seen.get(name), `${name} upserted again with the same value ${value}`).not.toBe(value);
        seen.set(name, value);
      }
    }
    expect(seen.get('OrderStatus')).toBe('"Completed"');
  });
});

describe('pending activities', () => {
  it('shows a failing activity with its error, attempt and next retry time', () => {
    const [e] = pendingActivitiesToTimeline(
      [
        {
          activityId: '3',
          activityType: { name: 'issueDeliveryNote' },
          attempt: 4,
          lastFailure: { message: 'connection refused' },
          lastAttemptCompleteTime: ts('2026-01-01T10:00:00Z'),
          nextAttemptScheduleTime: ts('2026-01-01T10:00:04Z'),
        },
      ],
      'run-9',
    );
    expect(e).toEqual({
      at: '2026-01-01T10:00:00.000Z',
      source: 'workflow',
      kind: 'activity.retrying',
      summary: 'activity issueDeliveryNote failing: connection refused (attempt 4, next retry at 2026-01-01T10:00:04.000Z)',
      runId: 'run-9',
      details: { activity: 'issueDeliveryNote', activityId: '3', attempt: 4, lastFailure: { message: 'connection refused' }, nextRetryAt: '2026-01-01T10:00:04.000Z' },
    });
  });
});

describe('mergeTimeline', () => {
  it('puts the newest last and keeps the given order for facts at the same instant', () => {
    const e = (at: string, kind: string): TimelineEvent => ({ at, kind, source: 'business', summary: kind });
    const merged = mergeTimeline([e('2026-01-01T00:00:02Z', 'b'), e('2026-01-01T00:00:01Z', 'a')], [e('2026-01-01T00:00:01Z', 'w'), e('2026-01-01T00:00:03Z', 'z')]);
    expect(merged.map((x) => x.kind)).toEqual(['a', 'w', 'b', 'z']);
  });
});

/** A timer's summary as the SDK writes it in the event's user metadata: a JSON payload. */
const summaryPayload = (text: string) => ({
  metadata: { encoding: Buffer.from('json/plain').toString('base64') },
  data: Buffer.from(JSON.stringify(text)).toString('base64'),
});

describe('timers by name', () => {
  const named = historyToTimeline([
    {
      runId: 'run-1',
      events: runOf([
        { eventId: '1', eventTime: '2026-01-01T00:00:00Z', workflowExecutionStartedEventAttributes: { workflowType: { name: 'salesOrder' }, taskQueue: { name: 'q' } } },
        { eventId: '5', eventTime: '2026-01-01T00:00:01Z', userMetadata: { summary: summaryPayload('approval reminder') }, timerStartedEventAttributes: { timerId: '1', startToFireTimeout: '14400s' } },
        { eventId: '6', eventTime: '2026-01-01T04:00:01Z', timerFiredEventAttributes: { timerId: '1', startedEventId: '5' } },
        { eventId: '9', eventTime: '2026-01-02T00:00:00Z', userMetadata: { summary: summaryPayload('dunning step 2: invoice INV-1') }, timerStartedEventAttributes: { timerId: '2', startToFireTimeout: '604800s' } },
        { eventId: '10', eventTime: '2026-01-02T00:00:05Z', timerCanceledEventAttributes: { timerId: '2', startedEventId: '9' } },
        { eventId: '11', eventTime: '2026-01-02T00:00:05Z', userMetadata: { summary: summaryPayload('payment due: invoice INV-2') }, timerStartedEventAttributes: { timerId: '3', startToFireTimeout: '2592000s' } },
      ]),
    },
  ]);

  it('names each timer by what it waits for, from the summary the workflow gives it', () => {
    expect(named.filter((e) => e.kind.startsWith('timer.')).map((e) => [e.kind, e.summary])).toEqual([
      ['timer.started', 'waiting for approval reminder: due in 4 h'],
      ['timer.fired', 'approval reminder: due now (set 4 h before)'],
      ['timer.started', 'waiting for dunning step 2: invoice INV-1: due in 7 d'],
      ['timer.cancelled', 'dunning step 2: invoice INV-1: no longer waited for'],
      ['timer.started', 'waiting for payment due: invoice INV-2: due in 30 d'],
    ]);
  });

  it('folded, keeps the timer that fired and the one still waiting, and leaves out the one re-armed', () => {
    expect(foldTimeline(named).filter((e) => e.kind.startsWith('timer.')).map((e) => e.details!['name'])).toEqual([
      'approval reminder',
      'payment due: invoice INV-2',
    ]);
  });

  it('are named by the workflow from the state: approval reminder, escalation, payment due, dunning step', () => {
    const at = Date.parse('2026-02-01T00:00:00Z');
    const receivable = { invoice: 'INV-1', gross: '100.00', paid: '0', writtenOff: '0', dueOn: '2026-01-31', overdueAt: at, overdue: false, dunningAt: [at + 1], reminders: 0 };
    const state = (patch: object) =>
      ({ status: 'Invoiced', approvalReminders: { reminded: true, escalated: true }, money: { receivables: [receivable] }, ...patch }) as unknown as SalesOrderState;
    const waiting = { status: 'Unapproved', money: { receivables: [] } };
    expect(timerSummary(state({ ...waiting, approvalReminders: { reminded: false, escalated: false, remindAt: at } }), at)).toBe('approval reminder');
    expect(timerSummary(state({ ...waiting, approvalReminders: { reminded: true, escalated: false, escalateAt: at } }), at)).toBe('approval escalation');
    // Two things due at the same instant: the one timer names both.
    expect(timerSummary(state({ status: 'Unapproved', approvalReminders: { reminded: false, escalated: false, remindAt: at } }), at)).toBe('approval reminder; payment due: invoice INV-1');
    expect(timerSummary(state({}), at)).toBe('payment due: invoice INV-1');
    const overdue = { ...receivable, overdue: true, reminders: 1, dunningAt: [at] };
    expect(timerSummary(state({ money: { receivables: [overdue] } }), at)).toBe('dunning step 2: invoice INV-1');
  });
});

describe('the folded timeline: one row a step', () => {
  const full = historyToTimeline([{ runId: 'run-1', events }]);
  const folded = foldTimeline(full);

  it('folds each activity into its finished row, with duration, attempts and the failure its retry got past', () => {
    expect(folded.filter((e) => e.kind.startsWith('activity.')).map((e) => e.kind)).toEqual(Array(5).fill('activity.completed'));
    const delivery = folded.find((e) => e.details?.['activity'] === 'issueDeliveryNote')!;
    expect(delivery.summary).toMatch(/^step issue delivery note: done in 1021 ms after 2 attempts \(before: .*blocks_deliveries/);
  });

  it('folds each command into one row saying who sent it and how it ended', () => {
    expect(folded.filter((e) => e.kind.startsWith('update.')).map((e) => [e.kind, e.actor, e.summary])).toEqual([
      ['update.completed', 'manager.wang', 'command approve by manager.wang completed'],
      ['update.completed', 'warehouse.zhao', 'command deliver by warehouse.zhao completed'],
      ['update.completed', 'finance.chen', 'command invoice by finance.chen completed'],
      ['update.completed', 'finance.chen', 'command recordReceipt by finance.chen completed'],
    ]);
    expect(folded.length).toBeLessThan(full.length / 2);
  });

  it('shows a refusal once: the audit row, not also the failed update with the same person and code', () => {
    const failed: TimelineEvent = {
      at: '2026-01-01T00:00:02.000Z', source: 'workflow', kind: 'update.failed', summary: '', actor: 'warehouse.zhao', updateId: 'u-9', runId: 'run-1',
      details: { command: 'deliver', failure: { message: 'line 1: only 2 open', type: 'OVER_DELIVERY' } },
    };
    const audited: TimelineEvent = {
      at: '2026-01-01T00:00:02.100Z', source: 'business', kind: 'command.refused', summary: 'warehouse.zhao (warehouse) tried deliver: refused with OVER_DELIVERY', actor: 'warehouse.zhao',
      details: { command: 'deliver', code: 'OVER_DELIVERY' },
    };
    expect(foldTimeline([failed, audited]).map((e) => e.kind)).toEqual(['command.refused']);
    expect(foldTimeline([failed]).map((e) => e.summary)).toEqual(['command deliver by warehouse.zhao refused with OVER_DELIVERY: line 1: only 2 open']);
  });
});
