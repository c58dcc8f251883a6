import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import { DomainError } from '../../domain/errors.js';
import {
  approvalFilledBy,
  checkApprove,
  checkDecideChange,
  decideApproval,
  missingApprovals,
  type Approver,
  type ApprovalRequirement,
} from '../../domain/order/index.js';
import { approvalCandidates, type ApprovalCandidate } from '../../db/approval-inbox.js';
import { readApprover } from '../../db/approvers.js';
import type { Sql } from '../../db/client.js';
import type { SalesOrderView } from '../../workflows/sales-order/definitions.js';
import { requires } from '../auth/authorize.js';
import { liveOrderState } from '../orders/workflow-commands.js';
import { errorResponses, json } from '../schemas.js';
import { validationHook } from '../validation.js';

export interface InboxDeps {
  sql: Sql;
  temporal: Client;
}

export interface InboxItem extends ApprovalCandidate {
  /** The approvals still missing (each role and why), this user's among them. */
  waitingFor: { role: string; reason: string }[];
  /** What the checks found that the approver must weigh (price under the floor, credit over the limit, …). */
  failedChecks: { code: string; message: string; warning: boolean }[];
  /** For a change: why it went back to approval. */
  changeReasons: string[];
}

export interface Inbox {
  items: InboxItem[];
  /** Orders whose workflow did not answer in time: they may wait for this user too. */
  unanswered: string[];
}

const allows = (decide: () => unknown): boolean => {
  try {
    decide();
    return true;
  } catch (err) {
    if (err instanceof DomainError) return false;
    throw err;
  }
};

const roles = (missing: ApprovalRequirement[]) => missing.map((r) => ({ role: r.role, reason: r.reason }));

/**
 * Whether this approver's approval would be taken now, decided as the workflow
 * decides it: the state's own rules (not the creator, not twice) and the domain's
 * choice of which missing approval the approver's authority fills (approveOrder,
 * approveOrderChange). Null when it is not theirs to give.
 */
function waitingFor(state: SalesOrderView, c: ApprovalCandidate, approver: Approver): InboxItem | null {
  if (c.kind === 'order') {
    const checks = state.checks.filter((k) => !k.passed).map((k) => ({ code: k.code, message: k.message, warning: k.warning === true }));
    const mine = allows(() => {
      checkApprove(state, approver.userName);
      decideApproval(approver, state.requiredApprovals, state.approvals, state.totals.gross);
    });
    return mine ? { ...c, waitingFor: roles(missingApprovals(state.requiredApprovals, state.approvals)), failedChecks: checks, changeReasons: [] } : null;
  }
  const pending = state.pendingChange;
  const mine = allows(() => {
    const p = checkDecideChange(state, c.version!, approver.userName);
    approvalFilledBy(approver, missingApprovals(p.requiredApprovals, p.approvals), p.grossAfter);
  });
  if (!mine || !pending) return null;
  // The order's stored checks are those of its first approval: a change brings its own reasons instead.
  return { ...c, waitingFor: roles(missingApprovals(pending.requiredApprovals, pending.approvals)), failedChecks: [], changeReasons: pending.reasons };
}

/** How many workflows are asked at once: an inbox must not flood the Temporal frontend. */
const QUERIES_AT_ONCE = 8;

/**
 * 待我审批: every order and order change that waits for this user's approval, oldest
 * first. The candidates come from Postgres; each is decided on its workflow's live
 * state, which knows the approvals still missing. Not an approver: nothing waits.
 */
export async function approvalInbox(deps: InboxDeps, userName: string): Promise<Inbox> {
  const approver = await readApprover(deps.sql, userName);
  if (!approver) return { items: [], unanswered: [] };
  const candidates = await approvalCandidates(deps.sql);
  const items: InboxItem[] = [];
  const unanswered: string[] = [];
  for (let i = 0; i < candidates.length; i += QUERIES_AT_ONCE) {
    const batch = candidates.slice(i, i + QUERIES_AT_ONCE);
    const states = await Promise.all(batch.map((c) => liveOrderState(deps, c.orderNumber)));
    batch.forEach((c, n) => {
      const state = states[n];
      if (!state) return void unanswered.push(c.orderNumber);
      const item = waitingFor(state, c, approver);
      if (item) items.push(item);
    });
  }
  return { items, unanswered };
}

const Item = z
  .object({
    kind: z.enum(['order', 'change']),
    orderNumber: z.string(),
    version: z.number().int().nullable().openapi({ description: 'The change waiting (kind change); null for the order itself' }),
    customerCode: z.string(),
    customerName: z.string(),
    currency: z.string(),
    gross: z.string().openapi({ description: "The order's gross; for a change, the gross after it" }),
    askedBy: z.string(),
    askedAt: z.string(),
    waitingFor: z.array(z.object({ role: z.string(), reason: z.string() })),
    failedChecks: z.array(z.object({ code: z.string(), message: z.string(), warning: z.boolean() })),
    changeReasons: z.array(z.string()),
  })
  .openapi('ApprovalInboxItem');

const route = createRoute({
  method: 'get',
  path: '/approvals/inbox',
  tags: ['Orders'],
  summary: '待我审批: the orders and changes waiting for the caller\'s approval',
  description:
    'For the roles that may approve (approver, credit_controller, admin). Lists what the caller\'s approval would be taken for now, ' +
    'by the approval rules, the approvers\' authority and each order\'s missing approvals (as its workflow knows them), with the failed checks. ' +
    'Errors: 401 UNAUTHENTICATED, 403 FORBIDDEN (role).',
  responses: {
    200: json(z.object({ items: z.array(Item), unanswered: z.array(z.string()) }).openapi('ApprovalInbox'), 'Oldest first; `unanswered`: orders whose workflow did not answer in time'),
    ...errorResponses,
  },
});

export function approvalInboxRoutes(deps: InboxDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.on('GET', '/approvals/inbox', requires('approve'));
  app.openapi(route, async (c) => c.json(await approvalInbox(deps, c.get('user').name), 200));
  return app;
}
