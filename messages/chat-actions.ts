import type { NotificationAction, Words } from '../domain/notifications.js';
import { DOCUMENT_NUMBER } from '../domain/numbering.js';

/**
 * A button on a chat message is the chat command a person would type for it: the
 * renderers put that text behind the button (Slack's value, DingTalk's send-message
 * link), and the chat endpoints read it back with the same parser as typed text, so
 * a button can do nothing a typed command could not, and is checked the same way.
 */


/** The order and request a write-off request number names, or nothing when it is not one. */
export function parseWriteOffRequestNumber(text: string): { orderNumber: string; seq: number } | undefined {
  const m = /^(.+)-W([1-9]\d{0,3})$/.exec(text);
  if (!m || !DOCUMENT_NUMBER.test(m[1]!)) return undefined;
  return { orderNumber: m[1]!, seq: Number(m[2]) };
}

/** A button's rejection carries no reason: a button has no text box, and nobody rejects in words he did not write. */
export const NO_REASON: Words = { zh: '', en: '' };

/** Where a person typing the command puts the reason of a rejection (a mail shows it; a button fills it in). */
export const TYPED_REJECT_REASON: Words = { zh: '<原因>', en: '<reason>' };

/** The command text that carries out an action, in the words of the message (审批 / approve). */
export function actionCommand(action: NotificationAction, lang: 'zh' | 'en', rejectReason: Words): string {
  const zh = lang === 'zh';
  const verb = action.kind.startsWith('approve') ? (zh ? '审批' : 'approve') : zh ? '驳回' : 'reject';
  const reason = action.kind.startsWith('reject') && rejectReason[lang] ? ` ${rejectReason[lang]}` : '';
  switch (action.kind) {
    case 'approve_order':
    case 'reject_order':
      return `${verb} ${action.orderNumber}${reason}`;
    case 'approve_change':
    case 'reject_change':
      return `${verb} ${action.orderNumber} ${zh ? '变更' : 'change'} ${action.changeNumber}${reason}`;
    case 'approve_write_off':
    case 'reject_write_off':
      return `${verb} ${action.requestNumber}${reason}`;
  }
}

/** A button's label: what it does, and to which document when that is not the order itself. */
export function actionLabel(action: NotificationAction): Words {
  const approve = action.kind.startsWith('approve');
  const verb: Words = approve ? { zh: '审批通过', en: 'Approve' } : { zh: '驳回', en: 'Reject' };
  if (action.kind === 'approve_change' || action.kind === 'reject_change') {
    return { zh: `${verb.zh}变更 ${action.changeNumber}`, en: `${verb.en} change ${action.changeNumber}` };
  }
  if (action.kind === 'approve_write_off' || action.kind === 'reject_write_off') {
    return { zh: `${verb.zh}核销`, en: `${verb.en} write-off` };
  }
  return verb;
}
