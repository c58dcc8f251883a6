import { readApi, type ApiCall, type ApiError } from './api-call.js';
import type { ConsoleSession } from './session.js';
import { say, type View } from './i18n.js';

/** The page sizes a list offers; anything else in the address falls back to the default. */
export const PAGE_SIZES = [10, 20, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;

export interface Paging {
  /** 1-based, as the pager shows it. */
  page: number;
  size: number;
  limit: number;
  offset: number;
}

/** `?page=N&size=S` read leniently: a page link is typed by hand sometimes, and a bad one shows page 1. */
export function pagingOf(query: Record<string, string | undefined>): Paging {
  const size = (PAGE_SIZES as readonly number[]).includes(Number(query.size)) ? Number(query.size) : DEFAULT_PAGE_SIZE;
  const page = /^[1-9]\d{0,5}$/.test(query.page ?? '') ? Number(query.page) : 1;
  return { page, size, limit: size, offset: (page - 1) * size };
}

/** The list's own address with some parameters changed; empty ones are left out so links stay short. */
export function hrefWith(query: Record<string, string | undefined>, changes: Record<string, string | number | undefined>): string {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...query, ...changes })) if (v !== undefined && v !== '') merged[k] = String(v);
  const s = new URLSearchParams(merged).toString();
  return s ? `?${s}` : '?';
}

/**
 * One pager for every list: first / previous / page N of M / next / last, and the page size.
 * Every link keeps the list's filters and sort (they are in `query`).
 */
export function Pager(props: { view: View; total: number; paging: Paging; query: Record<string, string | undefined> }) {
  const { view, total, paging, query } = props;
  const t = (zh: string, en: string) => say(view.lang, { zh, en });
  const last = Math.max(1, Math.ceil(total / paging.size));
  const page = Math.min(paging.page, last);
  const link = (to: number, text: string, rel: string) =>
    to === page || to < 1 || to > last ? <span class="muted" data-rel={rel}>{text}</span> : <a href={hrefWith(query, { page: to })} data-rel={rel}>{text}</a>;
  const kept = Object.entries(query).filter(([k, v]) => k !== 'page' && k !== 'size' && v);
  return (
    <nav class="pager" aria-label={t('分页', 'Pages')} style="margin:.5rem 0">
      {link(1, t('首页', 'First'), 'first')} {link(page - 1, t('上一页', 'Previous'), 'prev')}{' '}
      <span data-rel="position">{t(`第 ${page} / ${last} 页，共 ${total} 条`, `Page ${page} of ${last}, ${total} rows`)}</span>{' '}
      {link(page + 1, t('下一页', 'Next'), 'next')} {link(last, t('末页', 'Last'), 'last')}
      <form method="get" class="inline" style="display:inline-block;margin:0 0 0 1.5rem">
        {kept.map(([k, v]) => <input type="hidden" name={k} value={v} />)}
        <label>
          {t('每页', 'Per page')}{' '}
          <select name="size" onchange="this.form.submit()">
            {PAGE_SIZES.map((s) => <option value={String(s)} selected={s === paging.size}>{s}</option>)}
          </select>
        </label>{' '}
        <button type="submit">{t('确定', 'Apply')}</button>
      </form>
    </nav>
  );
}

export interface ListPage {
  total: number;
  items: Record<string, unknown>[];
}

/**
 * Reads one page; a page past the end (a bookmark on a list that shrank) reads the last page instead,
 * since a row count only comes with a row. Returns the paging actually shown.
 */
export async function readPage<E>(
  paging: Paging,
  read: (limit: number, offset: number) => Promise<{ ok: true; page: ListPage } | { ok: false; error: E }>,
): Promise<{ ok: true; page: ListPage; paging: Paging } | { ok: false; error: E }> {
  const first = await read(paging.limit, paging.offset);
  if (!first.ok || first.page.items.length > 0 || paging.page === 1) return first.ok ? { ...first, paging } : first;
  const probe = await read(1, 0);
  if (!probe.ok || probe.page.total === 0) return probe.ok ? { ok: true, page: { total: 0, items: [] }, paging: { ...paging, page: 1, offset: 0 } } : probe;
  const last = Math.ceil(probe.page.total / paging.size);
  const shown = { ...paging, page: last, offset: (last - 1) * paging.size };
  const again = await read(shown.limit, shown.offset);
  return again.ok ? { ...again, paging: shown } : again;
}

/** One page of an API list route as the signed-in user, with the list's filters (the console's own page/size left out). */
export function readApiList(api: ApiCall, session: ConsoleSession, apiPath: string, filters: Record<string, string | undefined>, paging: Paging) {
  return readPage<ApiError>(paging, async (limit, offset) => {
    const q = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => e[0] !== 'size' && e[0] !== 'page' && !!e[1]));
    q.set('limit', String(limit));
    q.set('offset', String(offset));
    const out = await readApi(api, session, `${apiPath}?${q}`);
    return out.ok ? { ok: true, page: out.body as unknown as ListPage } : { ok: false, error: out.error };
  });
}
