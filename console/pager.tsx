import { say, type View } from './i18n.js';

/** The page sizes a list offers; anything else in the address falls back to the default. */
export const PAGE_SIZES = [20, 50, 100, 200] as const;
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
    <nav class="pager" aria-label={t('分页', 'Pages')}>
      {link(1, t('首页', 'First'), 'first')} {link(page - 1, t('上一页', 'Previous'), 'prev')}{' '}
      <span data-rel="position">{t(`第 ${page} / ${last} 页，共 ${total} 条`, `Page ${page} of ${last}, ${total} rows`)}</span>{' '}
      {link(page + 1, t('下一页', 'Next'), 'next')} {link(last, t('末页', 'Last'), 'last')}
      <form method="get" class="inline">
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
