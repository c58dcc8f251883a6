import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { ROLES } from '../domain/authorization.js';
import { CHANNELS } from '../db/outbox/enqueue.js';
import { callApi, readApi, type ApiCall } from './api-call.js';
import { setFlash, takeFlash } from './flash.js';
import { label, say } from './i18n.js';
import { CsrfField, Layout } from './layout.js';
import { refusalFlash } from './master-data/form.js';
import type { ConsoleEnv, ConsoleSession } from './session.js';

interface Routing {
  routes: { role: string; channel: string; webhookUrl: string | null }[];
  escalationUser: string | null;
  contactRoles: { dunning: string[]; shipment_notice: string[] };
  users: { name: string; role: string; email: string | null; language: 'zh' | 'en' }[];
}

/** Rows offered for new routes beside the existing ones: an admin adds up to this many per save. */
const BLANK_ROUTES = 3;

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
/** Contact roles as typed: separated by commas (either width) or 、, blanks dropped. */
const roleList = (v: unknown) => text(v).split(/[,，、]/).map((s) => s.trim()).filter(Boolean);

/**
 * The form's rows back into the routing the API takes: a row without a role is a blank one, a row marked
 * "remove" is left out; everything else goes to the API as typed, which refuses it naming the row's field.
 */
function routingFromForm(form: Record<string, unknown>) {
  const routes = [];
  for (let i = 0; i < 100 && form[`role_${i}`] !== undefined; i++) {
    const role = text(form[`role_${i}`]);
    if (!role || form[`remove_${i}`] === 'on') continue;
    const channel = text(form[`channel_${i}`]);
    routes.push({ role, channel, webhookUrl: channel === 'email' ? null : text(form[`webhookUrl_${i}`]) });
  }
  return {
    routes,
    escalationUser: text(form.escalationUser) || null,
    contactRoles: { dunning: roleList(form.dunningRoles), shipment_notice: roleList(form.shipmentRoles) },
  };
}

function RouteRow(props: { session: ConsoleSession; i: number; route?: Routing['routes'][number] }) {
  const { session, i, route } = props;
  const lang = session.lang;
  return (
    <tr data-route={i}>
      <td>
        <select name={`role_${i}`} aria-label={label(lang, 'userRole')}>
          <option value="">{route ? '' : say(lang, { zh: '（新增）', en: '(new)' })}</option>
          {ROLES.map((r) => <option value={r} selected={r === route?.role}>{label(lang, `role.${r}`)}</option>)}
        </select>
      </td>
      <td>
        <select name={`channel_${i}`} aria-label={label(lang, 'notifyChannel')}>
          {CHANNELS.map((ch) => <option value={ch} selected={ch === (route?.channel ?? 'email')}>{label(lang, `channel.${ch}`)}</option>)}
        </select>
      </td>
      <td>
        <input name={`webhookUrl_${i}`} style="width:28rem" aria-label={label(lang, 'webhookUrl')} value={route?.webhookUrl ?? ''}
          placeholder={say(lang, { zh: '群机器人地址（邮件不填）', en: 'group robot webhook (none for email)' })} />
      </td>
      <td>{route ? <label><input type="checkbox" name={`remove_${i}`} /> {say(lang, { zh: '删除', en: 'Remove' })}</label> : ''}</td>
    </tr>
  );
}

function UserRow(props: { session: ConsoleSession; u: Routing['users'][number] }) {
  const { session, u } = props;
  const lang = session.lang;
  return (
    <tr data-user={u.name}>
      <td>{u.name}</td>
      <td>{label(lang, `role.${u.role}`)}</td>
      <td colspan={2}>
        <form method="post" action={`/console/notification-routing/users/${encodeURIComponent(u.name)}`} class="inline" style="display:inline-block;margin:0">
          <CsrfField session={session} />
          <input type="hidden" name="_key" value={randomUUID()} />
          <input name="email" type="email" style="width:16rem" aria-label={label(lang, 'userEmail')} value={u.email ?? ''} placeholder="name@example.com" />{' '}
          <select name="language" aria-label={label(lang, 'messageLanguage')}>
            <option value="zh" selected={u.language === 'zh'}>中文</option>
            <option value="en" selected={u.language === 'en'}>English</option>
          </select>{' '}
          <button type="submit">{say(lang, { zh: '保存', en: 'Save' })}</button>
        </form>
      </td>
    </tr>
  );
}

/** 通知设置: who gets which message where, changed through the API's /notification-routing as the signed-in admin. */
export function notificationPages(deps: { api: ApiCall }) {
  const app = new Hono<ConsoleEnv>();
  app.get('/notification-routing', async (c) => {
    const session = c.get('session');
    const lang = session.lang;
    const t = (zh: string, en: string) => say(lang, { zh, en });
    const out = await readApi(deps.api, session, '/notification-routing');
    const view = out.ok ? (out.body as unknown as Routing) : undefined;
    return c.html(
      <Layout title={t('通知设置', 'Notifications')} session={session} flash={out.ok ? takeFlash(c) : refusalFlash(out.error)}>
        {view ? (
          <>
            <form method="post" action="/console/notification-routing">
              <CsrfField session={session} />
              <input type="hidden" name="_key" value={randomUUID()} />
              <h2>{t('按角色发送', 'By role')}</h2>
              <p class="muted">
                {t(
                  '每条消息按收件人的角色发往这些渠道：邮件发到各人自己的邮箱，聊天发到群机器人并提及本人。没有设置的角色只在控制台看到待办。',
                  "Each message goes to its recipients' roles' channels: mail to each person's own address, chat to the group robot mentioning them. A role without a channel sees its work in the console only.",
                )}
              </p>
              <table>
                <thead>
                  <tr>{['userRole', 'notifyChannel', 'webhookUrl', ''].map((k) => <th data-key={k}>{k ? label(lang, k) : ''}</th>)}</tr>
                </thead>
                <tbody>
                  {view.routes.map((route, i) => <RouteRow session={session} i={i} route={route} />)}
                  {Array.from({ length: BLANK_ROUTES }, (_, k) => <RouteRow session={session} i={view.routes.length + k} />)}
                </tbody>
              </table>
              <h2>{t('升级与客户联系人', 'Escalation and customer contacts')}</h2>
              <p>
                <label>
                  {label(lang, 'escalationUser')}{' '}
                  <select name="escalationUser">
                    <option value="">{t('上一级审批人', 'the next approver up')}</option>
                    {view.users.map((u) => <option value={u.name} selected={u.name === view.escalationUser}>{u.name}</option>)}
                  </select>
                </label>
              </p>
              <p class="muted">{t('客户联系人按其角色接收通知，多个角色用逗号分隔；留空表示所有留有邮箱的联系人。', "Customer contacts get messages by their role, several separated by commas; blank means every contact with an email.")}</p>
              <p><label>{label(lang, 'dunningContactRoles')} <input name="dunningRoles" style="width:20rem" value={view.contactRoles.dunning.join(', ')} /></label></p>
              <p><label>{label(lang, 'shipmentContactRoles')} <input name="shipmentRoles" style="width:20rem" value={view.contactRoles.shipment_notice.join(', ')} /></label></p>
              <button type="submit">{t('保存通知设置', 'Save routing')}</button>
            </form>
            <h2>{t('用户邮箱与语言', "Users' mail and language")}</h2>
            <table>
              <thead>
                <tr>{['userName', 'userRole', 'userEmail', 'messageLanguage'].map((k) => <th data-key={k}>{label(lang, k)}</th>)}</tr>
              </thead>
              <tbody>{view.users.map((u) => <UserRow session={session} u={u} />)}</tbody>
            </table>
          </>
        ) : ''}
      </Layout>,
    );
  });

  app.post('/notification-routing', async (c) => {
    const session = c.get('session');
    const form = await c.req.parseBody();
    const out = await callApi(deps.api, session, '/notification-routing', routingFromForm(form), text(form._key) || undefined, 'PUT');
    setFlash(c, out.ok ? { kind: 'ok', text: say(session.lang, { zh: '通知设置已保存', en: 'Routing saved.' }) } : refusalFlash(out.error));
    return c.redirect('/console/notification-routing', 303);
  });

  app.post('/notification-routing/users/:name', async (c) => {
    const session = c.get('session');
    const form = await c.req.parseBody();
    const name = c.req.param('name');
    const body = { email: text(form.email) || null, language: text(form.language) };
    const out = await callApi(deps.api, session, `/notification-routing/users/${encodeURIComponent(name)}`, body, text(form._key) || undefined, 'PUT');
    setFlash(c, out.ok ? { kind: 'ok', text: say(session.lang, { zh: `已保存：${name}`, en: `Saved: ${name}` }) } : refusalFlash(out.error));
    return c.redirect('/console/notification-routing', 303);
  });
  return app;
}
