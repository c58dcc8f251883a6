import type { TimelineEvent } from '../api/timeline/event.js';
import { when } from './format.js';
import { label, say, term, type Lang, type View } from './i18n.js';

const FAILED = /failed|refused|retrying|timed_out/;

/** A kind by its name in the user's language (console/words/orders.ts); the code stays in the cell's title. */
function kindName(lang: Lang, kind: string): string {
  if (term(`timeline.${kind}`)) return label(lang, `timeline.${kind}`);
  return kind.startsWith('notification.') ? label(lang, 'timeline.notification') : kind;
}

/**
 * The order's story: business events, refused commands and the workflow's steps, newest last, in the business time
 * zone. Folded to a row a step unless the user asked for every workflow event (only then the update ids and event
 * numbers, which are for whoever reads the workflow's history); the JSON link is the console's own, so it opens with
 * the session rather than a 401.
 */
export function OrderTimeline(props: { number: string; events: readonly TimelineEvent[]; full: boolean; view: View }) {
  const { view, number } = props;
  const t = (zh: string, en: string) => say(view.lang, { zh, en });
  return (
    <>
      <p class="muted">
        {props.full ? <a href={`/console/orders/${number}`}>{t('按步骤合并显示', 'Fold into steps')}</a> : <a href={`/console/orders/${number}?detail=full`}>{t('显示全部工作流事件', 'Every workflow event')}</a>}
        {' · '}
        <a href={`/console/orders/${number}/timeline.json${props.full ? '?detail=full' : ''}`}>{t('时间线 JSON', 'Timeline JSON')}</a>
        {' · '}
        {t(`时间为 ${view.timeZone} 时区`, `times in ${view.timeZone}`)}
      </p>
      <table data-table="timeline">
        <thead>
          <tr>
            <th>{t('时间', 'Time')}</th><th>{t('类别', 'Kind')}</th><th>{t('操作人', 'Who')}</th><th>{t('内容', 'What')}</th>
            {props.full ? <th>{t('更新 / 事件', 'Update / event')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.events.map((e) => (
            <tr class={`${e.source} ${FAILED.test(e.kind) ? 'failed' : ''}`}>
              <td>{when(e.at, view.timeZone)}</td>
              <td title={e.kind}>{kindName(view.lang, e.kind)}</td>
              <td>{e.actor ?? ''}</td>
              <td>{e.summary}</td>
              {props.full ? <td class="muted">{[e.updateId, e.eventId ? `#${e.eventId}` : ''].filter(Boolean).join(' ')}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
