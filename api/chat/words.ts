import { label, type Lang } from '../../console/i18n.js';
import type { Command } from '../../domain/authorization.js';
import type { DomainErrorCode } from '../../domain/errors.js';
import type { Words } from '../../domain/notifications.js';
import type { ChatLang } from './parse.js';

/**
 * What the chat bot says, in both languages. Roles and statuses are named with the
 * console's own words (console/words); a command or an error code is never shown
 * by its internal name, always as a sentence.
 */
export const consoleLang = (lang: ChatLang): Lang => (lang === 'en' ? 'en' : 'zh-CN');
export const say = (lang: ChatLang, w: Words): string => (lang === 'en' ? w.en : w.zh);
/** A reply starts as a sentence does. */
export const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** A whole reply: capitalized, and closed with a full stop once. */
export const closed = (lang: ChatLang, text: string) => {
  const sentence = capitalized(text);
  return /[.。]$/.test(sentence) ? sentence : `${sentence}${lang === 'en' ? '.' : '。'}`;
};

/** A role's name; `senior_approver` is an approval authority (not a login role), so the console has no word for it. */
export function roleName(lang: ChatLang, role: string): string {
  if (role === 'senior_approver') return say(lang, { zh: '高级审批人', en: 'senior approver' });
  const name = label(consoleLang(lang), `role.${role}`);
  return lang === 'en' ? name.toLowerCase() : name;
}
export const roleList = (lang: ChatLang, roles: readonly string[]) => roles.map((r) => roleName(lang, r)).join(lang === 'en' ? ', ' : '、');

/** An order status (Unapproved, Rejected, …) by the console's word. */
export const statusName = (lang: ChatLang, status: string) => label(consoleLang(lang), status);

/** What each command lets a person do, as a phrase after "may not" / "不能". */
export const COMMAND_WORDS: Record<Command, Words> = {
  read: { zh: '查看单据', en: 'read documents' },
  createOrder: { zh: '建立订单', en: 'create orders' },
  changeOrder: { zh: '变更订单', en: 'change orders' },
  cancelOrder: { zh: '取消订单', en: 'cancel orders' },
  recordReturn: { zh: '登记销退', en: 'record returns' },
  grantAllowance: { zh: '给予折让', en: 'grant allowances' },
  reserveStock: { zh: '预留库存', en: 'reserve stock' },
  approve: { zh: '审批订单和变更', en: 'approve orders and changes' },
  reject: { zh: '驳回订单和变更', en: 'reject orders and changes' },
  deliver: { zh: '出货', en: 'deliver goods' },
  issueShippingNotice: { zh: '开出货通知单', en: 'issue shipping notices' },
  invoice: { zh: '开票', en: 'issue invoices' },
  recordInvoiceTaxData: { zh: '登记发票税务信息', en: 'record VAT invoice data' },
  recordReceipt: { zh: '登记收款', en: 'record receipts' },
  writeOff: { zh: '申请坏账核销', en: 'ask for bad-debt write-offs' },
  decideWriteOff: { zh: '审批坏账核销', en: 'decide bad-debt write-offs' },
  loadOpeningBalance: { zh: '导入期初订单', en: 'load opening balances' },
  readMetrics: { zh: '查看经营指标', en: 'read the business metrics' },
  listStuckPayments: { zh: '查看待收款订单', en: 'see the orders waiting for money' },
  maintainMasterData: { zh: '维护基础资料', en: 'maintain master data' },
  manageCreditSettings: { zh: '设置信用额度', en: 'manage credit settings' },
  setSalesControls: { zh: '设置最低售价和超交率', en: 'set price floors and over-delivery rates' },
  manageStockSettings: { zh: '设置库存参数', en: 'change stock settings' },
  editDraft: { zh: '编辑草稿订单', en: 'edit a draft order' },
  manageNotifications: { zh: '设置消息通知', en: 'set up notifications' },
  readAudit: { zh: '查看操作留痕', en: 'read the audit trail' },
  receiveStock: { zh: '入库', en: 'receive stock' },
  adjustStock: { zh: '调整库存', en: 'adjust stock' },
  transferStock: { zh: '调拨库存', en: 'transfer stock' },
  countStock: { zh: '盘点', en: 'count stock' },
  approveStockCount: { zh: '审核盘点', en: 'approve stock counts' },
  manageAuthority: { zh: '管理权限', en: 'manage authority' },
  readBooks: { zh: '查看总账', en: 'read the books' },
  maintainAccountMapping: { zh: '维护科目对照', en: 'maintain the account mapping' },
  manageExchangeRates: { zh: '维护汇率', en: 'manage exchange rates' },
};

/** Why the back office refused, per error code: one sentence a person can act on. */
export const REFUSAL_WORDS: Record<DomainErrorCode, Words> = {
  VALIDATION_FAILED: { zh: '输入不完整或不正确', en: 'something in the command is missing or not valid' },
  NOT_FOUND: { zh: '找不到这张单据', en: 'there is no such document' },
  UNKNOWN_CUSTOMER: { zh: '客户不存在或已停用', en: 'the customer does not exist or is inactive' },
  UNKNOWN_PRODUCT: { zh: '产品不存在或已停用', en: 'the product does not exist or is inactive' },
  UNKNOWN_WAREHOUSE: { zh: '仓库不存在或已停用', en: 'the warehouse does not exist or is inactive' },
  CUSTOMER_BLOCKED: { zh: '客户已被冻结', en: 'the customer is blocked' },
  INVALID_STATE: { zh: '单据当前的状态不允许这样做', en: 'the document is not in a state that allows this' },
  APPROVAL_STARTED: { zh: '审批已经开始，不能再编辑；请先驳回再修改', en: 'approval has started, so it can no longer be edited; reject it first, then revise' },
  SELF_APPROVAL: { zh: '不能审批自己提交的单据，须由另一人审批', en: 'you cannot decide what you asked for yourself; someone else must' },
  DUPLICATE_APPROVAL: { zh: '你已经审批过了，还需要其他人审批', en: 'you have already approved it; it needs someone else now' },
  NO_APPROVAL_AUTHORITY: { zh: '你的审批权限不包括它还缺的审批', en: 'your approval authority does not cover the approval it still needs' },
  QUALITY_CHECK_REQUIRED: { zh: '出货前须先完成出货复核', en: 'the quality re-check must be done before delivery' },
  INSUFFICIENT_STOCK: { zh: '库存不足', en: 'there is not enough stock' },
  OVER_DELIVERY: { zh: '出货数量超过订单未交数量', en: 'more than the order still has open would be delivered' },
  OVER_PAYMENT: { zh: '收款金额超过应收', en: 'the receipt is more than is owed' },
  NOTHING_TO_INVOICE: { zh: '没有可开票的出货', en: 'nothing delivered is waiting for an invoice' },
  OVER_INVOICE: { zh: '超过该行已出货未开票数量', en: 'more than the line has delivered and not yet invoiced' },
  DUPLICATE: { zh: '这张单据已经存在', en: 'this already exists' },
  CONFLICT: { zh: '单据刚被别人处理或已改变，请先查看最新状态', en: 'someone else has just handled it, or it changed; look at its status first' },
  IN_USE: { zh: '资料正在被单据使用', en: 'it is still used by documents' },
  IMPORT_REJECTED: { zh: '导入的资料有错误', en: 'the import has errors' },
  UNAUTHENTICATED: { zh: '无法确认你的身份', en: 'you could not be identified' },
  FORBIDDEN: { zh: '你的角色没有这个权限', en: 'your role does not allow this' },
  UNAVAILABLE: { zh: '系统暂时无法处理，请稍后再试', en: 'the back office cannot do this right now; try again shortly' },
  DEPOSIT_NOT_RECEIVED: { zh: '订金尚未收到', en: 'the deposit has not been received' },
  OVER_TOLERANCE: { zh: '超过允许的误差', en: 'it is over the tolerance allowed' },
  CHANGE_PENDING: { zh: '订单已有一张变更在等待审批', en: 'the order already has a change waiting for approval' },
  CHANGE_LIMIT_REACHED: { zh: '订单的变更次数已达上限', en: 'the order has had as many changes as allowed' },
  NOTHING_CHANGED: { zh: '变更没有改动任何内容', en: 'the change changes nothing' },
  QUANTITY_BELOW_DELIVERED: { zh: '数量不能少于已出货数量', en: 'the quantity cannot be less than what was delivered' },
  PRICE_LOCKED: { zh: '已出货或开票的单价不能修改', en: 'the price of what was delivered or invoiced cannot change' },
  OVER_RETURN: { zh: '退货数量超过已出货数量', en: 'more would be returned than was delivered' },
  OVER_ALLOWANCE: { zh: '折让金额超过已开票金额', en: 'the allowance is more than was invoiced' },
  OVER_REFUND: { zh: '退款金额超过可退金额', en: 'the refund is more than can be refunded' },
  CREDIT_LIMIT_EXCEEDED: { zh: '客户的信用额度不足', en: "it would take the customer over their credit limit" },
  BILLED_TO_HEAD_OFFICE: { zh: '这个客户由总公司统一开票', en: 'this customer is invoiced through its head office' },
  IDEMPOTENCY_KEY_REUSED: { zh: '这个请求编号已用于另一个请求', en: 'this request key was used for another request' },
  IDEMPOTENCY_KEY_IN_USE: { zh: '同一个请求正在处理中', en: 'the same request is still being handled' },
  PAYLOAD_TOO_LARGE: { zh: '内容太长', en: 'the text is too long' },
  EXCHANGE_RATE_MISSING: { zh: '该币别在单据日期前没有汇率，请财务先录入汇率', en: 'there is no exchange rate for the currency on or before the date; finance enters it first' },
};

export const FIELD_WORDS: Record<string, Words> = {
  reason: { zh: '原因', en: 'the reason' },
  version: { zh: '变更号', en: 'the change number' },
  id: { zh: '核销申请号', en: 'the write-off request number' },
  number: { zh: '单号', en: 'the document number' },
};

export const USAGE: Words = {
  zh: [
    '用法：',
    '审批 <订单号>  ·  驳回 <订单号> <原因>',
    '审批 <订单号> 变更 <变更号>  ·  驳回 <订单号> 变更 <变更号> <原因>',
    '审批 <核销申请号>  ·  驳回 <核销申请号> <原因>（核销申请号如 SO-20261202-0001-W1）',
    '状态 <订单号>  ·  待办（等我审批的）  ·  待收款',
  ].join('\n'),
  en: [
    'Usage:',
    'approve <order>  ·  reject <order> <reason>',
    'approve <order> change <n>  ·  reject <order> change <n> <reason>',
    'approve <write-off request>  ·  reject <write-off request> <reason> (a write-off request is e.g. SO-20261202-0001-W1)',
    'status <order>  ·  waiting (what waits for me)  ·  stuck (orders waiting for money)',
  ].join('\n'),
};
