import nodemailer from 'nodemailer';
import type { Notification } from '../../domain/notifications.js';
import { actionCommand, TYPED_REJECT_REASON } from '../../messages/chat-actions.js';
import { consoleLinkOf } from '../../messages/chat-render.js';
import type { Language } from '../../db/outbox/enqueue.js';

/** A mail in the recipient's language: the title as subject, the facts as lines, a plain-text and a simple HTML body. */
export interface Mail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** `consoleUrl`: the console's public address; a colleague's mail then links to the page that decides it. */
export function renderMail(n: Notification, lang: Language, consoleUrl?: string): Mail {
  const facts = n.facts.map((f) => f[lang]);
  const link = consoleLinkOf(consoleUrl, n);
  const open = lang === 'zh' ? '在控制台打开' : 'Open in the console';
  // The very command a chat button sends (messages/chat-actions.ts), so what the mail says to type is what chat reads.
  const actions = n.actions.map((a) => actionCommand(a, lang, TYPED_REJECT_REASON));
  const howTo = actions.length
    ? lang === 'zh' ? '在聊天中回复以下命令，或在销售后台控制台处理：' : 'Answer in chat with one of these commands, or decide in the back-office console:'
    : '';
  const text = [n.title[lang], '', ...facts, ...(actions.length ? ['', howTo, ...actions.map((a) => `  ${a}`)] : []), ...(link ? ['', `${open}: ${link}`] : [])].join('\n');
  const html = [
    `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${escapeHtml(n.title[lang])}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5">',
    `<h2 style="font-size: 1.1em">${escapeHtml(n.title[lang])}</h2>`,
    `<ul>${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`,
    actions.length ? `<p>${escapeHtml(howTo)}</p><ul>${actions.map((a) => `<li><code>${escapeHtml(a)}</code></li>`).join('')}</ul>` : '',
    link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(open)}</a></p>` : '',
    '</body></html>',
  ].join('');
  // A subject is one line whatever a title holds.
  return { subject: n.title[lang].replace(/[\r\n]+/g, ' '), text, html };
}

/** Sends rendered mail over SMTP (nodemailer); an SMTP refusal or a connection failure throws, and the sender retries. */
export function smtpMailer(smtpUrl: string, from: string, timeoutMs: number) {
  const url = new URL(smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  // The domain of the sender's own address names the Message-IDs (RFC 5322: unique on the right of the @).
  const domain = /@([^\s>@]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return {
    /**
     * `deliveryId`: the outbox delivery this mail is. Its Message-ID is the delivery's own, so a mail sent again (the
     * sender died between sending and marking it sent) is the same message to the recipient's mail program.
     */
    async send(to: string, mail: Mail, deliveryId?: string): Promise<void> {
      await transport.sendMail({
        from, to, subject: mail.subject, text: mail.text, html: mail.html,
        ...(deliveryId ? { messageId: `<outbox-delivery-${deliveryId}@${domain}>` } : {}),
      });
    },
    close: () => transport.close(),
  };
}
