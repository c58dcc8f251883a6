import { describe, expect, it } from 'vitest';
import type { Notification } from '../../domain/notifications.js';
import { renderMail } from '../../runtime/outbox/email.js';

const request: Notification = {
  kind: 'approval_request',
  orderNumber: 'SO-20261202-0001',
  documentNumber: null,
  title: { zh: '订单 SO-20261202-0001 待审批', en: 'Approval needed: SO-20261202-0001' },
  facts: [{ zh: '客户：C0001 <b>华东</b>', en: 'Customer: C0001 <b>East</b>' }],
  actions: [
    { kind: 'approve_order', orderNumber: 'SO-20261202-0001' },
    { kind: 'reject_order', orderNumber: 'SO-20261202-0001' },
  ],
};

describe('a mail', () => {
  it("links a colleague to the order's page in the console when its address is known", () => {
    const mail = renderMail(request, 'en', 'https://bo.example.com/');
    expect(mail.text).toContain('Open in the console: https://bo.example.com/console/orders/SO-20261202-0001');
    expect(mail.html).toContain('<a href="https://bo.example.com/console/orders/SO-20261202-0001">Open in the console</a>');
    expect(mail.html).toContain('Customer: C0001 &lt;b&gt;East&lt;/b&gt;');
    expect(renderMail(request, 'zh').text).not.toContain('/console/');
  });

  it("gives a customer's contact no console link", () => {
    const dunning: Notification = { ...request, kind: 'dunning', actions: [] };
    expect(renderMail(dunning, 'zh', 'https://bo.example.com').text).not.toContain('bo.example.com');
  });
});
