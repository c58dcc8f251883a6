import { DomainError } from './errors.js';

/**
 * Who may do what (权限): the one role matrix. Pure, so the API, the chat bot and
 * the workflow's update validators all decide with the same table.
 */
export const ROLES = ['clerk', 'approver', 'credit_controller', 'warehouse', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const COMMANDS = [
  'read',
  'createOrder',
  'changeOrder',
  'editDraft',
  'cancelOrder',
  'recordReturn',
  'grantAllowance',
  'reserveStock',
  'approve',
  'reject',
  'deliver',
  'issueShippingNotice',
  'invoice',
  'recordInvoiceTaxData',
  'recordReceipt',
  'writeOff',
  'decideWriteOff',
  'loadOpeningBalance',
  'readMetrics',
  'listStuckPayments',
  'maintainMasterData',
  'manageCreditSettings',
  'setSalesControls',
  'readAudit',
  'receiveStock',
  'adjustStock',
  'transferStock',
  'countStock',
  'approveStockCount',
  'manageStockSettings',
  'manageAuthority',
  'manageNotifications',
  'readBooks',
  'maintainAccountMapping',
  'manageExchangeRates',
] as const;
export type Command = (typeof COMMANDS)[number];

const EVERYONE: readonly Role[] = ROLES;

/** Admin may do everything; every other role only what its job needs. */
const MATRIX: Record<Command, readonly Role[]> = {
  read: EVERYONE,
  createOrder: ['clerk', 'admin'],
  changeOrder: ['clerk', 'admin'],
  // 草稿: the clerk who entered the order (domain/order/drafts.ts checkEditDraft) or an admin. Not an approver: who
  // decides on an order does not also write it (an approver who wants it different rejects it with the reason).
  editDraft: ['clerk', 'admin'],
  cancelOrder: ['clerk', 'admin'],
  // 销退: the clerk writes it up, or the warehouse that takes the goods back.
  recordReturn: ['clerk', 'warehouse', 'admin'],
  // 折让: a commercial decision the clerk or finance records.
  grantAllowance: ['clerk', 'finance', 'admin'],
  // Back-ordered quantities are reserved when stock arrives: the clerk or the warehouse sees it first.
  reserveStock: ['clerk', 'warehouse', 'admin'],
  approve: ['approver', 'credit_controller', 'admin'],
  reject: ['approver', 'credit_controller', 'admin'],
  deliver: ['warehouse', 'admin'],
  issueShippingNotice: ['warehouse', 'admin'],
  invoice: ['finance', 'admin'],
  // 增值税发票信息: finance issues the VAT invoice in the tax system and records what it gave here.
  recordInvoiceTaxData: ['finance', 'admin'],
  recordReceipt: ['finance', 'admin'],
  // 坏账核销: finance requests it; a finance approver (finance_approvers, never the requester) decides.
  writeOff: ['finance', 'admin'],
  decideWriteOff: ['finance', 'approver', 'admin'],
  // 期初开账 loads an order as approved with stock reserved: the loader's word is the approval.
  loadOpeningBalance: ['admin'],
  // The business figures in /metrics (amounts invoiced and received) are not for everyone.
  readMetrics: ['admin'],
  listStuckPayments: ['finance', 'admin'],
  maintainMasterData: ['clerk', 'admin'],
  manageCreditSettings: ['credit_controller', 'admin'],
  // 最低售价 and 超交率 decide what needs a manager's approval and what may ship: the sales manager sets them.
  setSalesControls: ['approver', 'admin'],
  // The whole audit trail (every user's commands); an order's own trail is readable by anyone who reads orders.
  readAudit: ['admin'],
  // 入库, 调整, 调拨: the warehouse's own ledger work.
  receiveStock: ['warehouse', 'admin'],
  adjustStock: ['warehouse', 'admin'],
  transferStock: ['warehouse', 'admin'],
  // 盘点: the warehouse counts; another person (never the counter) approves the differences into the ledger.
  countStock: ['warehouse', 'admin'],
  approveStockCount: ['warehouse', 'admin'],
  // 效期预警 days: the warehouse decides how early an expiring batch is flagged.
  manageStockSettings: ['warehouse', 'admin'],
  // 权限管理: who holds which role and approval authority; only an admin changes it.
  manageAuthority: ['admin'],
  // 通知设置: who gets which message on which channel; only an admin changes it.
  manageNotifications: ['admin'],
  // 总账: the journal and trial balance are finance's books; so is the account mapping they are posted by.
  readBooks: ['finance', 'admin'],
  maintainAccountMapping: ['finance', 'admin'],
  // 汇率: finance enters the rates its documents are booked at.
  manageExchangeRates: ['finance', 'admin'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function mayPerform(role: string | undefined, command: Command): boolean {
  return isRole(role) && MATRIX[command].includes(role);
}

export function rolesAllowedTo(command: Command): readonly Role[] {
  return MATRIX[command];
}

/** Refuses with FORBIDDEN (field `role`) and the reason, naming who may. */
export function authorize(role: string | undefined, command: Command): void {
  if (mayPerform(role, command)) return;
  const who = MATRIX[command].join(', ');
  throw new DomainError('FORBIDDEN', `role ${role ?? '(none)'} may not ${command}; allowed: ${who}`, 'role', {
    role: role ?? null,
    command,
    allowedRoles: [...MATRIX[command]],
  });
}
