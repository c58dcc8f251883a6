import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { approvalInbox, INBOX_PAGE_SIZE, type Inbox, type InboxDeps, type InboxItem } from '../api/approvals/inbox.js';
import { mayPerform } from '../domain/authorization.js';
import { takeFlash } from './flash.js';
import { money, when } from './format.js';
import { label, say, type Lang } from './i18n.js';
import { CsrfField, Layout } from './layout.js';
import type { ConsoleEnv, ConsoleSession } from './session.js';

/** How long it has waited, in days and hours, as an approver reads it. */
function age(askedAt: string, now: Date, lang: Lang): string {
  const hours = Math.max(0, Math.floor((now.getTime() - new Date(askedAt).getTime()) / 3_600_000));
  const [d, h] = [Math.floor(hours / 24), hours % 24];
  return d > 0 ? say(lang, { zh: `${d} 天 ${h} 小时`, en: `${d} d ${h} h` }) : say(lang, { zh: `${h} 小时`, en: `${h} h` });
}

/**
 * Where a row's decision posts: the order's console command approve/reject, or for a
 * change approveChange/rejectChange with the version as a field (console/order-actions.tsx).
 */
const decisionPath = (i: InboxItem, verb: 'approve' | 'reject') =>
  `/console/orders/${i.orderNumber}/${i.kind === 'order' ? verb : verb === 'approve' ? 'approveChange' : 'rejectChange'}`;

/** A change's number as its document shows it (0001), as the API's change routes take it. */
const versionLabel = (v: number) => String(v).padStart(4, '0');

function Decide(props: { item: InboxItem; session: ConsoleSession }) {
  const { item, session } = props;
  const lang = session.lang;
  const version = item.kind === 'change' ? <input type="hidden" name="version" value={versionLabel(item.version!)} /> : '';
  return (
    <div class="actions">
      <form method="post" action={decisionPath(item, 'approve')} data-action="approve">
        <CsrfField session={session} />
        <input type="hidden" name="_key" value={randomUUID()} />
        {version}
        <button type="submit">{say(lang, { zh: '核准', en: 'Approve' })}</button>
      </form>
      <form method="post" action={decisionPath(item, 'reject')} data-action="reject">
        <CsrfField session={session} />
        <input type="hidden" name="_key" value={randomUUID()} />
        {version}
        <input name="reason" required maxlength={500} placeholder={label(lang, 'reason')} aria-label={label(lang, 'reason')} />
        <button type="submit">{say(lang, { zh: '驳回', en: 'Reject' })}</button>
      </form>
    </div>
  );
}

function InboxRow(props: { item: InboxItem; session: ConsoleSession; now: Date }) {
  const { item, session } = props;
  const lang = session.lang;
  const what =
    item.kind === 'order'
      ? say(lang, { zh: '订单审核', en: 'Order' })
      : say(lang, { zh: `变更单 ${versionLabel(item.version!)}`, en: `Change ${versionLabel(item.version!)}` });
  return (
    <tr data-order={item.orderNumber} data-kind={item.kind}>
      <td><a href={`/console/orders/${item.orderNumber}`}>{item.orderNumber}</a><br /><span class="muted">{what}</span></td>
      <td>{item.customerCode} {item.customerName}</td>
      <td class="num">{money(item.gross)} {item.currency}</td>
      <td>{item.askedBy}<br /><span class="muted">{when(item.askedAt, session.timeZone)}</span></td>
      <td>{age(item.askedAt, props.now, lang)}</td>
      <td>
        <ul class="checks">
          {item.failedChecks.map((c) => <li class={c.warning ? 'warning' : 'failed'} data-check={c.code}>{label(lang, c.code)}: {c.message}</li>)}
          {item.changeReasons.map((r) => <li class="failed">{r}</li>)}
        </ul>
      </td>
      <td>{item.waitingFor.map((w) => label(lang, w.role)).join(lang === 'en' ? ', ' : '、')}</td>
      <td><Decide item={item} session={session} /></td>
    </tr>
  );
}

/** Which rows of how many this page shows, and the links to the pages around it. */
function Pages(props: { inbox: Inbox; page: number; lang: Lang }) {
  const { inbox, page, lang } = props;
  const last = Math.max(1, Math.ceil(inbox.total / inbox.limit));
  if (last === 1) return <></>;
  const from = inbox.offset + 1;
  const to = inbox.offset + inbox.items.length;
  return (
    <p class="pager">
      {say(lang, { zh: `第 ${from}–${to} 项，共 ${inbox.total} 项（第 ${page}/${last} 页）`, en: `${from}–${to} of ${inbox.total} (page ${page} of ${last})` })}{' '}
      {page > 1 ? <a href={`/console/inbox?page=${page - 1}`} rel="prev">{say(lang, { zh: '上一页', en: 'Previous' })}</a> : ''}{' '}
      {page < last ? <a href={`/console/inbox?page=${page + 1}`} rel="next">{say(lang, { zh: '下一页', en: 'Next' })}</a> : ''}
    </p>
  );
}

/** 待我审批: what waits for this user's approval, with the checks that failed, and the decision on each row. */
export function inboxPages(deps: InboxDeps & { now?: () => Date }) {
  const app = new Hono<ConsoleEnv>();
  app.get('/inbox', async (c) => {
    const session = c.get('session');
    const lang = session.lang;
    const title = say(lang, { zh: '待我审批', en: 'Waiting for me' });
    if (!mayPerform(session.user.role, 'approve')) {
      return c.html(
        <Layout title={title} session={session}>
          <p class="flash error" role="alert">
            <strong>FORBIDDEN</strong>: {say(lang, { zh: `${session.user.role} 角色不能审批订单`, en: `the ${session.user.role} role may not approve orders` })}
          </p>
        </Layout>,
        403,
      );
    }
    const asked = Number(c.req.query('page') ?? '1');
    const page = Number.isSafeInteger(asked) && asked >= 1 ? asked : 1;
    const inbox = await approvalInbox(deps, session.user.name, { limit: INBOX_PAGE_SIZE, offset: (page - 1) * INBOX_PAGE_SIZE });
    const headers = ['orderNumber', 'customerCode', 'gross', 'askedBy', 'age', 'failedChecks', 'waitingForRoles', ''];
    return c.html(
      <Layout title={title} session={session} flash={takeFlash(c)}>
        <p class="muted">{say(lang, { zh: `共 ${inbox.total} 项等待您审批`, en: `${inbox.total} waiting for your approval` })}</p>
        {inbox.unanswered.length ? (
          <p class="flash error">
            {say(lang, { zh: '以下订单有变更单待审批，但其流程暂未响应，可能也在等您：', en: 'These orders have a change waiting but did not answer in time; it may wait for you too: ' })}
            {inbox.unanswered.map((n) => <a href={`/console/orders/${n}`}>{n} </a>)}
          </p>
        ) : ''}
        {inbox.items.length ? (
          <table class="inbox">
            <thead><tr>{headers.map((h) => <th data-key={h}>{h ? label(lang, h) : ''}</th>)}</tr></thead>
            <tbody>{inbox.items.map((i) => <InboxRow item={i} session={session} now={(deps.now ?? (() => new Date()))()} />)}</tbody>
          </table>
        ) : (
          <p>{say(lang, { zh: '没有等待您审批的订单或变更。', en: 'Nothing waits for your approval.' })}</p>
        )}
        <Pages inbox={inbox} page={page} lang={lang} />
      </Layout>,
    );
  });
  return app;
}
