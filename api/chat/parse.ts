import { textProblem } from '../../contracts/text.js';
import type { NotificationAction } from '../../domain/notifications.js';
import { writeOffRequestNumber } from '../../domain/notices.js';
import { DOCUMENT_NUMBER } from '../../domain/numbering.js';
import { versionLabel } from '../../domain/order/changes.js';
import { parseWriteOffRequestNumber } from '../../messages/chat-actions.js';

/** The language a command was written in; the answer is in the same. */
export type ChatLang = 'zh' | 'en';

/** One chat command, as typed or as behind a message's button (messages/chat-actions.ts). */
export type ChatCommand = { lang: ChatLang } & (
  | { kind: 'approve'; orderNumber: string }
  | { kind: 'reject'; orderNumber: string; reason: string }
  | { kind: 'approveChange'; orderNumber: string; version: number }
  | { kind: 'rejectChange'; orderNumber: string; version: number; reason: string }
  | { kind: 'approveWriteOff'; orderNumber: string; seq: number }
  | { kind: 'rejectWriteOff'; orderNumber: string; seq: number; reason: string }
  | { kind: 'status'; orderNumber: string }
  | { kind: 'waiting' }
  | { kind: 'stuck' }
  /**
   * Not a command: `missingReason` when only the reason of a rejection was left out (`rejecting`: what it would have
   * rejected, so the answer can show the command to type),
   * `controlCharacters` when the text holds characters that cannot be stored (NUL, …).
   */
  | { kind: 'help'; missingReason?: boolean; controlCharacters?: boolean; rejecting?: NotificationAction }
);

const VERBS: Record<string, { verb: 'approve' | 'reject' | 'status' | 'waiting' | 'stuck' | 'help'; lang: ChatLang }> = {
  approve: { verb: 'approve', lang: 'en' },
  reject: { verb: 'reject', lang: 'en' },
  status: { verb: 'status', lang: 'en' },
  waiting: { verb: 'waiting', lang: 'en' },
  inbox: { verb: 'waiting', lang: 'en' },
  todo: { verb: 'waiting', lang: 'en' },
  stuck: { verb: 'stuck', lang: 'en' },
  help: { verb: 'help', lang: 'en' },
  审批: { verb: 'approve', lang: 'zh' },
  审核: { verb: 'approve', lang: 'zh' },
  同意: { verb: 'approve', lang: 'zh' },
  驳回: { verb: 'reject', lang: 'zh' },
  拒绝: { verb: 'reject', lang: 'zh' },
  状态: { verb: 'status', lang: 'zh' },
  查询: { verb: 'status', lang: 'zh' },
  待办: { verb: 'waiting', lang: 'zh' },
  待审批: { verb: 'waiting', lang: 'zh' },
  待收款: { verb: 'stuck', lang: 'zh' },
  帮助: { verb: 'help', lang: 'zh' },
};
const CHANGE_WORDS = new Set(['change', '变更']);
const WRITE_OFF_WORDS = new Set(['write-off', 'writeoff', '核销']);
const CHINESE_VERB = new RegExp(`^(${Object.keys(VERBS).filter((v) => /^\p{Script=Han}/u.test(v)).join('|')})(?=[A-Za-z])`, 'u');
/** `状态：SO-1`, `status: SO-1`: a colon (ASCII or full-width) after the verb is a space. */
const VERB_COLON = /^(\S+?)\s*[:：]\s*/u;

const hasChinese = (text: string) => /\p{Script=Han}/u.test(text);
const changeVersion = (s: string | undefined) => (s !== undefined && /^\d{1,4}$/.test(s) && Number(s) > 0 ? Number(s) : undefined);
const requestSeq = (s: string | undefined) => (s !== undefined && /^[1-9]\d{0,3}$/.test(s) ? Number(s) : undefined);
/**
 * Document numbers are upper case (domain/numbering.ts); `so-…` typed on a phone is the same document.
 * Every numbering rule has digits: a word without any (`approve everything`) stays a word, not a number.
 */
const docNumber = (s: string | undefined) => (s !== undefined && /\d/.test(s) ? s.toUpperCase() : (s ?? ''));

/** What an approve or reject names: an order, a change of it, or a write-off request; and the words after it. */
function target(words: string[]):
  | { doc: 'order'; orderNumber: string; rest: string[] }
  | { doc: 'change'; orderNumber: string; version: number; rest: string[] }
  | { doc: 'writeOff'; orderNumber: string; seq: number; rest: string[] }
  | undefined {
  const [typed, second, third, ...more] = words;
  const first = docNumber(typed);
  const request = parseWriteOffRequestNumber(first);
  if (request) return { doc: 'writeOff', orderNumber: request.orderNumber, seq: request.seq, rest: words.slice(1) };
  if (!DOCUMENT_NUMBER.test(first)) return undefined;
  const word = second?.toLowerCase() ?? '';
  const version = CHANGE_WORDS.has(word) ? changeVersion(third) : undefined;
  if (version !== undefined) return { doc: 'change', orderNumber: first, version, rest: more };
  const seq = WRITE_OFF_WORDS.has(word) ? requestSeq(third) : undefined;
  if (seq !== undefined) return { doc: 'writeOff', orderNumber: first, seq, rest: more };
  return { doc: 'order', orderNumber: first, rest: words.slice(1) };
}

/**
 * `审批 SO-1`, `驳回 SO-1 价格不对`, `状态 SO-1`, `待办`, `审批 SO-1 变更 2`, `驳回 SO-1-W1 客户已付款`,
 * and the same in English (`approve`, `reject`, `status`, `waiting`; `change`, `write-off`), with or without
 * `/order` in front. The older `writeoff-approve SO-1 1` / `writeoff-reject SO-1 1 reason` still work.
 */
export function parseChatCommand(text: string): ChatCommand {
  const lang: ChatLang = hasChinese(text) ? 'zh' : 'en';
  // Text that cannot be stored (NUL, control characters) is never run; the answer says why.
  if (textProblem(text, 'free')) return { kind: 'help', lang, controlCharacters: true };
  const words = text
    .trim()
    .replace(/^\/order\b/i, '')
    // A robot's own @mention, when the platform leaves it in the text.
    .replace(/^(@\S+\s+)+/u, '')
    .trim()
    .replace(VERB_COLON, '$1 ')
    .replace(CHINESE_VERB, '$1 ')
    .split(/[\s\u3000]+/u)
    .filter(Boolean);
  const [verbWord = '', ...args] = words;
  const legacy = /^writeoff-(approve|reject)$/i.exec(verbWord);
  if (legacy) {
    const [typed, id, ...reason] = args;
    const orderNumber = docNumber(typed);
    const seq = requestSeq(id);
    if (!DOCUMENT_NUMBER.test(orderNumber) || seq === undefined) return { kind: 'help', lang };
    if (legacy[1]!.toLowerCase() === 'approve') return reason.length ? { kind: 'help', lang } : { kind: 'approveWriteOff', orderNumber, seq, lang };
    return reason.length ? { kind: 'rejectWriteOff', orderNumber, seq, reason: reason.join(' '), lang } : { kind: 'help', lang, missingReason: true };
  }
  const known = VERBS[verbWord.toLowerCase()];
  if (!known) return { kind: 'help', lang };
  const said = { lang: known.lang };
  if (known.verb === 'waiting' || known.verb === 'stuck' || known.verb === 'help') return args.length ? { kind: 'help', ...said } : { kind: known.verb, ...said };
  if (known.verb === 'status') {
    const [typed, ...rest] = args;
    const orderNumber = docNumber(typed);
    return DOCUMENT_NUMBER.test(orderNumber) && rest.length === 0 ? { kind: 'status', orderNumber, ...said } : { kind: 'help', ...said };
  }
  const t = target(args);
  if (!t) return { kind: 'help', ...said };
  if (known.verb === 'approve') {
    if (t.rest.length) return { kind: 'help', ...said };
    if (t.doc === 'change') return { kind: 'approveChange', orderNumber: t.orderNumber, version: t.version, ...said };
    if (t.doc === 'writeOff') return { kind: 'approveWriteOff', orderNumber: t.orderNumber, seq: t.seq, ...said };
    return { kind: 'approve', orderNumber: t.orderNumber, ...said };
  }
  // A rejection says why: without a reason it is not run.
  const reason = t.rest.join(' ');
  if (!reason) {
    const rejecting: NotificationAction =
      t.doc === 'change' ? { kind: 'reject_change', orderNumber: t.orderNumber, changeNumber: versionLabel(t.version) }
      : t.doc === 'writeOff' ? { kind: 'reject_write_off', requestNumber: writeOffRequestNumber(t.orderNumber, t.seq) }
      : { kind: 'reject_order', orderNumber: t.orderNumber };
    return { kind: 'help', missingReason: true, rejecting, ...said };
  }
  if (t.doc === 'change') return { kind: 'rejectChange', orderNumber: t.orderNumber, version: t.version, reason, ...said };
  if (t.doc === 'writeOff') return { kind: 'rejectWriteOff', orderNumber: t.orderNumber, seq: t.seq, reason, ...said };
  return { kind: 'reject', orderNumber: t.orderNumber, reason, ...said };
}
