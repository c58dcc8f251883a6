import { describe, expect, it } from 'vitest';
import { parseChatCommand } from '../../api/chat/parse.js';

const SO = 'SO-20261123-0001';

describe('chat command text, in English and Chinese', () => {
  it.each([
    [`approve ${SO}`, { kind: 'approve', orderNumber: SO, lang: 'en' }],
    [`/order approve ${SO}`, { kind: 'approve', orderNumber: SO, lang: 'en' }],
    [`reject ${SO} price under the floor`, { kind: 'reject', orderNumber: SO, reason: 'price under the floor', lang: 'en' }],
    [`  status   ${SO} `, { kind: 'status', orderNumber: SO, lang: 'en' }],
    ['stuck', { kind: 'stuck', lang: 'en' }],
    ['waiting', { kind: 'waiting', lang: 'en' }],
    [`approve ${SO} change 2`, { kind: 'approveChange', orderNumber: SO, version: 2, lang: 'en' }],
    [`reject ${SO} change 0002 too late`, { kind: 'rejectChange', orderNumber: SO, version: 2, reason: 'too late', lang: 'en' }],
    [`approve ${SO}-W1`, { kind: 'approveWriteOff', orderNumber: SO, seq: 1, lang: 'en' }],
    [`approve ${SO} write-off 3`, { kind: 'approveWriteOff', orderNumber: SO, seq: 3, lang: 'en' }],
    [`writeoff-reject ${SO} 1 still paying`, { kind: 'rejectWriteOff', orderNumber: SO, seq: 1, reason: 'still paying', lang: 'en' }],
    [`审批 ${SO}`, { kind: 'approve', orderNumber: SO, lang: 'zh' }],
    [`@销售助手 审批 ${SO}`, { kind: 'approve', orderNumber: SO, lang: 'zh' }],
    [`审批${SO}`, { kind: 'approve', orderNumber: SO, lang: 'zh' }],
    [`驳回 ${SO} 价格低于底价`, { kind: 'reject', orderNumber: SO, reason: '价格低于底价', lang: 'zh' }],
    [`状态\u3000${SO}`, { kind: 'status', orderNumber: SO, lang: 'zh' }],
    ['待办', { kind: 'waiting', lang: 'zh' }],
    [`审批 ${SO} 变更 2`, { kind: 'approveChange', orderNumber: SO, version: 2, lang: 'zh' }],
    [`驳回 ${SO} 变更 2 客户撤回`, { kind: 'rejectChange', orderNumber: SO, version: 2, reason: '客户撤回', lang: 'zh' }],
    [`审批 ${SO}-W2`, { kind: 'approveWriteOff', orderNumber: SO, seq: 2, lang: 'zh' }],
    [`驳回 ${SO} 核销 2 客户还在付款`, { kind: 'rejectWriteOff', orderNumber: SO, seq: 2, reason: '客户还在付款', lang: 'zh' }],
    // As typed on a phone: a colon after the verb, lower case, full-width spaces.
    [`状态：${SO}`, { kind: 'status', orderNumber: SO, lang: 'zh' }],
    [`状态:${SO}`, { kind: 'status', orderNumber: SO, lang: 'zh' }],
    [`status: ${SO.toLowerCase()}`, { kind: 'status', orderNumber: SO, lang: 'en' }],
    [`审批${SO.toLowerCase()}`, { kind: 'approve', orderNumber: SO, lang: 'zh' }],
    [`\u3000审批\u3000\u3000${SO.toLowerCase()}-w1\u3000`, { kind: 'approveWriteOff', orderNumber: SO, seq: 1, lang: 'zh' }],
    [`驳回\u3000${SO}\u3000变更\u30002\u3000太晚了`, { kind: 'rejectChange', orderNumber: SO, version: 2, reason: '太晚了', lang: 'zh' }],
    [`writeoff-approve ${SO.toLowerCase()} 1`, { kind: 'approveWriteOff', orderNumber: SO, seq: 1, lang: 'en' }],
    [`reject ${SO} note: too late`, { kind: 'reject', orderNumber: SO, reason: 'note: too late', lang: 'en' }],
  ])('%s', (text, expected) => {
    expect(parseChatCommand(text)).toEqual(expected);
  });

  it.each([
    ['approve', 'en'],
    ['approve so', 'en'],
    [`dance ${SO}`, 'en'],
    [`approve ${SO} now please`, 'en'],
    [`审批 ${SO} 变更 0`, 'zh'],
    [`status ${SO} extra`, 'en'],
    [`待办 ${SO}`, 'zh'],
  ])('%s is not a command (answered with the usage)', (text, lang) => {
    expect(parseChatCommand(text)).toEqual({ kind: 'help', lang });
  });

  it('control characters or NUL are not run, and the answer says why', () => {
    expect(parseChatCommand(`reject ${SO}\u0000 nope`)).toEqual({ kind: 'help', lang: 'en', controlCharacters: true });
    expect(parseChatCommand(`驳回 ${SO} 不\u0007行`)).toEqual({ kind: 'help', lang: 'zh', controlCharacters: true });
  });

  it('a rejection without a reason is not run, and says so', () => {
    expect(parseChatCommand(`驳回 ${SO}`)).toEqual({ kind: 'help', lang: 'zh', missingReason: true, rejecting: { kind: 'reject_order', orderNumber: SO } });
    expect(parseChatCommand(`reject ${SO}-W1`)).toEqual({ kind: 'help', lang: 'en', missingReason: true, rejecting: { kind: 'reject_write_off', requestNumber: `${SO}-W1` } });
    expect(parseChatCommand(`驳回 ${SO} 变更 2`)).toMatchObject({ kind: 'help', missingReason: true, rejecting: { kind: 'reject_change', orderNumber: SO, changeNumber: '0002' } });
  });
});
