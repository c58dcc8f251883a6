import { allHandlersFinished, condition, log, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import {
  amountDue,
  approvalNoticeDue,
  armApprovalReminders,
  armChangeNotices,
  changeNoticeDue,
  changeNoticeSent,
  dunningDue,
  markOverdueAsOf,
  missingApprovals,
  nextApprovalInstant,
  nextChangeNoticeInstant,
  nextCollectionInstant,
  recordReminder,
  unreservedOpen,
  type SalesOrderState,
} from '../../domain/order/index.js';
import { dec } from '../../domain/decimal.js';
import { acts, chat, commandFailure, local } from './context.js';
import {
  DEFAULT_APPROVAL_ESCALATION_AFTER_MS,
  DEFAULT_APPROVAL_REMINDER_AFTER_MS,
  type CommandOutcome,
  type OrderNow,
  type SalesOrderInput,
  type SalesOrderView,
} from './definitions.js';
import { orderSearchAttributes, waitingFor } from './search-attributes.js';
import { timerSummary } from './timer-names.js';

/** How long the clock waits before trying again a step that failed for good (it never spins). */
const CLOCK_RETRY_MS = 60_000;

/**
 * One sales order's process: its state, its command queue and every actor that
 * runs beside the commands. Every change to the state is a job in the queue:
 * Updates, signals (bank notices, payments and invoices reported from
 * elsewhere), the automatic invoice after a delivery, and the clock (approval
 * reminders, overdue marks, dunning), whose instants live in the state so a
 * continued or reopened run re-arms them where they were. The queue counts the
 * work it has taken on, so `drained()` means nothing is queued, running or
 * owed: the workflow waits for it before it continues as new or completes.
 */
export class SalesOrder {
  readonly wf = workflowInfo().workflowId;
  readonly acts = acts;
  readonly local = local;
  private queue: Promise<unknown> = Promise.resolve();
  private commands = 0;
  /** Jobs queued or running, and chat posts under way. */
  private inFlight = 0;
  private readonly followUps: (() => void)[] = [];
  private readonly published = new Map<string, string>();

  constructor(
    readonly state: SalesOrderState,
    private readonly input: SalesOrderInput,
  ) {
    // What the start already set (the API starts an order with its first attributes) counts as published.
    // (The server hands them back without their type, so they are read untyped: each a list of one value.)
    for (const [name, values] of Object.entries(workflowInfo().searchAttributes)) {
      if (Array.isArray(values) && values.length === 1) this.published.set(name, JSON.stringify(values[0]));
    }
  }

  /**
   * Queues a job: jobs run one at a time, in order; a refusal fails the job (and
   * the caller sees it), never the order. After each job that is not itself a
   * follow-up, the follow-ups look whether the order now wants one more job.
   */
  serial<T>(job: () => Promise<T>, options: { followUp?: boolean } = {}): Promise<T> {
    this.inFlight += 1;
    const run = this.queue.then(async () => {
      this.commands += 1;
      try {
        return await job();
      } catch (err) {
        throw commandFailure(err);
      } finally {
        if (!options.followUp) for (const f of this.followUps) f();
        this.inFlight -= 1;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Registers a look taken after every job (and once when the run starts): it may queue a follow-up job. */
  followUp(look: () => void): void {
    this.followUps.push(look);
  }

  /** How many jobs ran so far (the completion step counts too). */
  commandsRun(): number {
    return this.commands;
  }

  /** Resolves once nothing is queued or running, no Update handler is open and no chat message is owed. */
  drained(): Promise<void> {
    return condition(() => this.inFlight === 0 && allHandlersFinished() && !this.decisionUnannounced());
  }

  /** Upserts the search attributes that changed since the last upsert of this run. */
  publish(): void {
    const changed = orderSearchAttributes(this.state).filter((p: SearchAttributeUpdatePair) => {
      const value = JSON.stringify(p.value);
      // An attribute never set reads as null (a continued run does not carry the ones that were null).
      if ((this.published.get(p.key.name) ?? 'null') === value) return false;
      this.published.set(p.key.name, value);
      return true;
    });
    if (changed.length > 0) upsertSearchAttributes(changed);
  }

  view(): SalesOrderView {
    const state = this.state;
    return {
      ...state,
      amountDue: amountDue(state),
      waitingFor: waitingFor(state),
      pendingApprovals: state.status === 'Unapproved' ? missingApprovals(state.requiredApprovals, state.approvals) : [],
    };
  }

  /** Where the order stands, for a command's answer (a few fields: the answer goes into history, the view would not). */
  now(): OrderNow {
    const state = this.state;
    const missing = state.status === 'Unapproved' ? missingApprovals(state.requiredApprovals, state.approvals) : [];
    const reservable = state.status === 'Approved' || state.status === 'PartiallyDelivered';
    const unreserved = reservable ? unreservedOpen(state) : undefined;
    return {
      orderNumber: state.orderNumber,
      status: state.status,
      waitingFor: waitingFor(state),
      currency: state.currency,
      gross: state.totals.gross,
      amountDue: amountDue(state),
      ...(missing.length > 0 ? { pendingApprovals: missing } : {}),
      ...(unreserved && dec(unreserved).greaterThan(0) ? { unreserved } : {}),
    };
  }

  /** A command's answer: what it made, and the order as it now stands. */
  outcome<Made extends object>(made: Made): CommandOutcome<Made>;
  outcome(): CommandOutcome;
  outcome(made: object = {}): CommandOutcome {
    return { ...made, order: this.now() };
  }

  /** Starts the actors beside the commands, from the state as this run found it. */
  start(): void {
    void this.serial(async () => {
      if (this.state.status === 'Unapproved') this.armApprovalReminders();
    }).catch((err) => log.error('approval reminders not armed', { err: String(err) }));
    void this.clock();
    void this.announceApproval();
  }

  /** Fixes when the approval reminder and escalation go out, from now (kept if already fixed). */
  armApprovalReminders(): void {
    armApprovalReminders(
      this.state,
      Date.now(),
      this.input.approvalReminderAfterMs ?? DEFAULT_APPROVAL_REMINDER_AFTER_MS,
      this.input.approvalEscalationAfterMs ?? DEFAULT_APPROVAL_ESCALATION_AFTER_MS,
    );
  }

  /**
   * Fixes when a change that waits for approval reminds and escalates, the order's approval delays. Orders whose
   * history predates change reminders replay without them (the patch marker is not in their history).
   */
  armChangeNotices(): void {
    const pending = this.state.pendingChange;
    if (!pending || !patched('change-approval-notices')) return;
    armChangeNotices(
      pending,
      Date.now(),
      this.input.approvalReminderAfterMs ?? DEFAULT_APPROVAL_REMINDER_AFTER_MS,
      this.input.approvalEscalationAfterMs ?? DEFAULT_APPROVAL_ESCALATION_AFTER_MS,
    );
  }

  /** The next instant something is due: an approval or change notice, an overdue mark, a dunning reminder. */
  private nextInstant(): number | undefined {
    const instants = [nextApprovalInstant(this.state), nextChangeNoticeInstant(this.state), nextCollectionInstant(this.state)].filter(
      (t): t is number => t !== undefined,
    );
    return instants.length > 0 ? Math.min(...instants) : undefined;
  }

  /** One timer, for the next instant in the state; re-armed whenever a job moves that instant. */
  private async clock(): Promise<void> {
    for (;;) {
      const at = this.nextInstant();
      if (at === undefined) {
        await condition(() => this.nextInstant() !== undefined);
        continue;
      }
      // The timer's summary names what it waits for (approval reminder, payment due, dunning step n) in the history.
      if (await condition(() => this.nextInstant() !== at, Math.max(at - Date.now(), 1), { summary: timerSummary(this.state, at) })) continue;
      try {
        await this.serial(() => this.whatIsDue(Date.now()));
      } catch (err) {
        log.error('a due collection or approval step failed; trying again later', { err: String(err) });
        await condition(() => this.nextInstant() !== at, CLOCK_RETRY_MS, { summary: `retry: ${timerSummary(this.state, at)}` });
      }
    }
  }

  /** Does what is due by `now`, in the queue: approval notices, overdue marks, dunning reminders. */
  private async whatIsDue(now: number): Promise<void> {
    const { state, wf } = this;
    for (let kind = approvalNoticeDue(state, now); kind; kind = approvalNoticeDue(state, now)) {
      const missing = missingApprovals(state.requiredApprovals, state.approvals).map((r) => r.role).join(', ') || 'approver';
      await acts.recordApprovalNotice({
        orderNumber: state.orderNumber,
        key: `${wf}/${kind === 'approval_reminder' ? 'approval-reminder' : 'approval-escalation'}`,
        kind,
        message:
          kind === 'approval_reminder'
            ? `order ${state.orderNumber} (${state.totals.gross} ${state.currency}) waits for approval by: ${missing}`
            : `escalated: order ${state.orderNumber} still waits for approval by: ${missing}`,
      });
      if (kind === 'approval_reminder') state.approvalReminders.reminded = true;
      else state.approvalReminders.escalated = true;
    }
    for (let kind = changeNoticeDue(state, now); kind; kind = changeNoticeDue(state, now)) {
      const pending = state.pendingChange!;
      await acts.recordChangeApprovalNotice({
        orderNumber: state.orderNumber,
        key: `${wf}/change/${pending.version}/${kind === 'change_approval_reminder' ? 'reminder' : 'escalation'}`,
        version: pending.version,
        kind,
        missing: missingApprovals(pending.requiredApprovals, pending.approvals),
        grossBefore: state.totals.gross,
        grossAfter: pending.grossAfter,
        requestedBy: pending.request.requestedBy,
        reason: pending.request.reason,
        approvalReasons: pending.reasons,
        approvedBy: pending.approvals.map((a) => a.actor),
      });
      changeNoticeSent(state, kind);
    }
    const overdue = markOverdueAsOf(state, now);
    // Finance hears of it the day it falls overdue (orders whose history predates this heard at the first dunning step).
    if (overdue.length > 0 && patched('overdue-notice-when-due')) {
      for (const invoice of overdue) {
        await acts.recordOverdueNotice({ orderNumber: state.orderNumber, invoice, key: `${wf}/dunning/${invoice}/1/overdue` });
      }
    }
    for (let due = dunningDue(state, now); due.length > 0; due = dunningDue(state, now)) {
      for (const { invoice, step } of due) {
        await acts.recordDunningNotice({ key: `${wf}/dunning/${invoice}/${step}`, orderNumber: state.orderNumber, invoice, step });
        recordReminder(state, invoice);
      }
    }
    this.publish();
  }

  /** The approval request was posted and the order has been decided since, but the message does not say so yet. */
  private decisionUnannounced(): boolean {
    const a = this.state.approvalAnnounced;
    return !!a && a.request && !a.decision && this.state.status !== 'Unapproved';
  }

  /** Posts the approval request while the order waits, and updates it once someone decides (chat is a courtesy). */
  private async announceApproval(): Promise<void> {
    const { state, wf } = this;
    const announced = () => (state.approvalAnnounced ??= { request: false, decision: false });
    if (state.status === 'Unapproved' && !announced().request) {
      await this.courtesy('request', () => chat.postApprovalRequest({ orderNumber: state.orderNumber, key: `${wf}/approval-request` }));
      await this.serial(async () => {
        announced().request = true;
      });
    }
    if (!state.approvalAnnounced?.request || state.approvalAnnounced.decision) return;
    await condition(() => state.status !== 'Unapproved');
    await this.courtesy('decision', () =>
      chat.updateApprovalMessage({
        orderNumber: state.orderNumber,
        key: `${wf}/approval-decided`,
        status: state.status,
        decidedBy: state.approvedBy ?? state.rejectedBy ?? state.cancelledBy ?? '',
      }),
    );
    await this.serial(async () => {
      announced().decision = true;
    });
  }

  /** A chat post, counted as work in flight; a failure is logged and the order goes on. */
  private async courtesy(step: string, post: () => Promise<unknown>): Promise<void> {
    this.inFlight += 1;
    try {
      await post();
    } catch (err) {
      log.warn('chat message not delivered', { step, error: String(err) });
    } finally {
      this.inFlight -= 1;
    }
  }
}
