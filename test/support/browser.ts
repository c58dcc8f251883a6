import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { devToken } from '../../api/auth/demo-users.js';
import { freePort } from '../../runtime/dev/ports.js';
import type { Stack } from './stack.js';

/** Debian's chromium (playwright-core downloads no browser); scripts/test.sh installs it and fonts-noto-cjk when missing. */
export const CHROMIUM = '/usr/bin/chromium';
/** Where the browser tests leave their screenshots and downloads. */
export const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

export interface Web {
  /** The app served over HTTP on a free port, e.g. http://127.0.0.1:41234. */
  base: string;
  browser: Browser;
}

/** Serves the test file's app on a free port and starts headless chromium once for the file; both stop after it. */
export function useBrowser(stack: Stack): Web {
  const web = {} as Web;
  let server: ServerType | undefined;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with "apt-get install -y chromium fonts-noto-cjk" (npm test does so itself)`);
    const port = await freePort();
    server = serve({ fetch: stack.app.fetch, hostname: '127.0.0.1', port });
    web.base = `http://127.0.0.1:${port}`;
    web.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    mkdirSync(RESULTS, { recursive: true });
  });
  afterAll(async () => {
    await web.browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });
  return web;
}

/** Signs in through the login form after choosing the console's language (it speaks Chinese until switched). */
export async function signInAs(web: Web, page: Page, user: string, lang: 'en' | 'zh-CN'): Promise<void> {
  await page.goto(`${web.base}/console/lang/${lang}?next=%2Fconsole%2Flogin`);
  await page.locator('input[name="user"]').fill(user);
  await page.locator('input[name="token"]').fill(devToken(user));
  await page.locator('form[action="/console/login"] button[type="submit"]').click();
  await expect.poll(() => page.locator('header .who').textContent()).toContain(user);
}

/** A full-page screenshot in test-results/, to look at. */
export const shot = (page: Page, name: string) => page.screenshot({ path: `${RESULTS}${name}.png`, fullPage: true });
