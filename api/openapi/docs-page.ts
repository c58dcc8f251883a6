import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Hono } from 'hono';
import { errorBody } from '../errors.js';

/**
 * The interactive docs at /docs, served entirely from this server: Swagger UI's files come from the
 * `swagger-ui-dist` package (pinned in package.json), so the page works on a machine without internet and
 * loads nothing a CDN could change.
 */
const DIST = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The only files of the package the page uses, by the name it asks for them. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', persistAuthorization: true, displayRequestDuration: true });\n`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sales back office API</title>
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

const cache = new Map<string, Promise<Buffer>>();
const asset = (name: string) => {
  let file = cache.get(name);
  if (!file) cache.set(name, (file = readFile(join(DIST, name))));
  return file;
};

/** Registers /docs and its files; call it before authentication, since the docs are open to anyone who reaches the API. */
export function docsPage(app: Hono): void {
  app.get('/docs', (c) => c.html(PAGE));
  app.get('/docs/init.js', (c) => c.body(INIT, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/docs/:file', async (c) => {
    const name = c.req.param('file');
    const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!type) return c.json(errorBody('NOT_FOUND', `no docs file ${name}`, 'file'), 404);
    // The files change only with the pinned package, so a browser may keep them for a day.
    return c.body(new Uint8Array(await asset(name)), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
}
