import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** What the last form did, shown once on the page it redirected to. */
export type Flash =
  | { kind: 'ok'; text: string }
  | { kind: 'error'; text: string; code: string; field: string | null };

const FLASH_COOKIE = 'sbo_flash';

/** Kept in a short-lived cookie rather than the address, so a crafted link cannot put words on the page. */
export function setFlash(c: Context, flash: Flash): void {
  const value = Buffer.from(JSON.stringify(flash), 'utf8').toString('base64url');
  setCookie(c, FLASH_COOKIE, value, { httpOnly: true, sameSite: 'Strict', path: '/console', maxAge: 60 });
}

export function takeFlash(c: Context): Flash | undefined {
  const value = getCookie(c, FLASH_COOKIE);
  if (!value) return undefined;
  deleteCookie(c, FLASH_COOKIE, { path: '/console' });
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Flash;
    return parsed.kind === 'ok' || parsed.kind === 'error' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
