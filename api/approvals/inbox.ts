import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import { DomainError } from '../../domain/errors.js';
import {
  approvalFilledBy,
  checkDecideChange,
  decideApproval,
  missingApprovals,
  requiredApprovals,
  type Approver,
  type ApprovalRequirement,
  type ApprovalRule,
} from '../../domain/order/index.js';
import { changeCandidates, orderCandidates, type ApprovalCandidate, type OrderCandidate } from '../../db/approval-inbox.js';
import { readApprovalRules } from '../../db/approval-rules.js';
import { readApprover } from '../../db/approvers.js';
import type { Sql } from '../../db/client.js';
import type { SalesOrderView } from '../../workflows/sales-order/definitions.js';
import { requires } from '../auth/authorize.js';
import { liveOrderState } from '../orders/workflow-commands.js';
import { errorResponses, json, Paging } from '../schemas.js';
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
  /** This page of what waits for the user, oldest first. */
  items: InboxItem[];
  /** How many wait for the user in all (every page); changes whose workflow did not answer are not counted. */
  total: number;
  limit: number;
  offset: number;
  /** Orders with a change waiting whose workflow did not answer in time: it may wait for this user too. */
  unanswered: string[];
}

export interface InboxPage {
  limit: number;
  offset: number;
}

/** How many rows a page shows unless asked for another size. */
export const INBOX_PAGE_SIZE = 50;

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
 * An unapproved order, decided from what Postgres holds of it: the requirements
 * come from the rules and the checks stored with them (as applyChecks derives
 * them in the workflow), the approvals from those recorded, and the domain's
 * decideApproval says whether this approver's approval would be taken.
 */
function orderWaiting(c: OrderCandidate, rules: ApprovalRule[], approver: Approver): InboxItem | null {
  // Not the creator's, not twice (checkApprove): orderCandidates leaves those out already.
  const { checks: stored, approvals, ...item } = c;
  const required = requiredApprovals(rules, stored, c.gross);
  if (!allows(() => decideApproval(approver, required, approvals, c.gross))) return null;
  const checks = stored.filter((k) => !k.passed).map((k) => ({ code: k.code, message: k.message, warning: k.warning === true }));
  return { ...item, waitingFor: roles(missingApprovals(required, approvals)), failedChecks: checks, changeReasons: [] };
}

/**
 * A change waiting for approval, decided on the workflow's state (the only place
 * that holds the approvals a pending change has got) as approveOrderChange
 * decides it: checkDecideChange, then which missing approval the authority fills.
 */
function changeWaiting(state: SalesOrderView, c: ApprovalCandidate, approver: Approver): InboxItem | null {
  const mine = allows(() => {
    const p = checkDecideChange(state, c.version!, approver.userName);
    approvalFilledBy(approver, missingApprovals(p.requiredApprovals, p.approvals), p.grossAfter);
  });
  const pending = state.pendingChange;
  if (!mine || !pending) return null;
  // The order's stored checks are those of its first approval: a change brings its own reasons instead.
  return { ...c, waitingFor: roles(missingApprovals(pending.requiredApprovals, pending.approvals)), failedChecks: [], changeReasons: pending.reasons };
}

/** How many workflows are asked at once: an inbox must not flood the Temporal frontend. */
const QUERIES_AT_ONCE = 8;

/**
 * 待我审批: every order and order change that waits for this user's approval,
 * oldest first, a page at a time. Postgres narrows both to what can need this
 * user; orders are decided from it, changes on their workflow's live state.
 * Not an approver: nothing waits.
 */
export async function approvalInbox(deps: InboxDeps, userName: string, page: InboxPage = { limit: INBOX_PAGE_SIZE, offset: 0 }): Promise<Inbox> {
  const none = { items: [], total: 0, ...page, unanswered: [] };
  const approver = await readApprover(deps.sql, userName);
  if (!approver) return none;
  const [orders, changes, rules] = await Promise.all([orderCandidates(deps.sql, approver), changeCandidates(deps.sql, approver), readApprovalRules(deps.sql)]);
  const all: InboxItem[] = orders.map((o) => orderWaiting(o, rules, approver)).filter((i) => i !== null);
  const unanswered: string[] = [];
  for (let i = 0; i < changes.length; i += QUERIES_AT_ONCE) {
    const batch = changes.slice(i, i + QUERIES_AT_ONCE);
    const states = await Promise.all(batch.map((c) => liveOrderState(deps, c.orderNumber)));
    batch.forEach((c, n) => {
      const state = states[n];
      if (!state) return void unanswered.push(c.orderNumber);
      const item = changeWaiting(state, c, approver);
      if (item) all.push(item);
    });
  }
  all.sort((a, b) => a.askedAt.localeCompare(b.askedAt) || a.orderNumber.localeCompare(b.orderNumber));
  return { items: all.slice(page.offset, page.offset + page.limit), total: all.length, ...page, unanswered };
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
  request: { query: Paging },
  summary: '待我审批: the orders and changes waiting for the caller\'s approval',
  description:
    'For the roles that may approve (approver, credit_controller, admin). Lists what the caller\'s approval would be taken for now, ' +
    'by the approval rules, the approvers\' authority and each order\'s missing approvals, with the failed checks; a change with the reasons it went to approval. ' +
    'Paged (`limit`, `offset`); `total` counts every page. ' +
    'Errors: 400 VALIDATION_FAILED (limit, offset), 401 UNAUTHENTICATED, 403 FORBIDDEN (role).',
  responses: {
    200: json(
      z.object({ items: z.array(Item), total: z.number().int(), limit: z.number().int(), offset: z.number().int(), unanswered: z.array(z.string()) }).openapi('ApprovalInbox'),
      'Oldest first; `unanswered`: orders with a change waiting whose workflow did not answer in time (they may wait for the caller too)',
    ),
    ...errorResponses,
  },
});

export function approvalInboxRoutes(deps: InboxDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.on('GET', '/approvals/inbox', requires('approve'));
  app.openapi(route, async (c) => c.json(await approvalInbox(deps, c.get('user').name, c.req.valid('query')), 200));
  return app;
}
