import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { WORDS, type Term } from './words/index.js';

/** The console speaks Chinese by default, as the seeds do, and English on request. */
export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const DEFAULT_LANG: Lang = 'zh-CN';

/** A phrase in both languages; the page picks one. */
export interface Words {
  zh: string;
  en: string;
}

/** How a page speaks and tells the time: the user's language and the business's time zone. */
export interface View {
  lang: Lang;
  timeZone: string;
}

export const LANG_COOKIE = 'sbo_lang';

const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGS as readonly string[]).includes(v);

export function langOf(c: Context): Lang {
  const chosen = getCookie(c, LANG_COOKIE);
  return isLang(chosen) ? chosen : DEFAULT_LANG;
}

export function chooseLang(c: Context, lang: string): boolean {
  if (!isLang(lang)) return false;
  setCookie(c, LANG_COOKIE, lang, { path: '/console', sameSite: 'Lax', maxAge: 365 * 24 * 3600 });
  return true;
}

export const say = (lang: Lang, w: Words): string => (lang === 'en' ? w.en : w.zh);

/** The term for a field or code (column headers, statuses, steps); an unknown key shows as it is. */
export function term(key: string): Term | undefined {
  return Object.hasOwn(WORDS, key) ? WORDS[key] : undefined;
}

export const label = (lang: Lang, key: string): string => {
  const t = term(key);
  return t ? say(lang, t) : key;
};
