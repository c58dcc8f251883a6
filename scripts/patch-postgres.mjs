// Applies the guard proposed upstream (porsager/postgres #1066, #1154, #1208; PRs #1168, #1176) to
// postgres@3.4.x until a release carries it. A small write is deferred with setImmediate; when the
// connection closes first, the deferred write ran on a null socket and crashed the process (our fault
// suite hit it on a Postgres restart). By then closed() has already rejected the pending query with
// CONNECTION_CLOSED, so dropping the buffered bytes is safe (PR #1176's reasoning; only that guard is
// applied). Idempotent; run after every install (postinstall and scripts/ensure-deps.sh).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const MARK = '/* sales-backoffice: null-socket guard */';
let patched = 0;
for (const file of ['node_modules/postgres/src/connection.js', 'node_modules/postgres/cjs/src/connection.js']) {
  if (!existsSync(file)) continue;
  let text = readFileSync(file, 'utf8');
  if (text.includes(MARK)) continue;
  const write = '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)';
  if (!text.includes(write)) {
    console.error(`patch-postgres: ${file} does not look like postgres@3.4.x; not patched (check the upstream fix)`);
    process.exitCode = 1;
    continue;
  }
  text = text.replace(write, `  function nextWrite(fn) {\n    ${MARK}\n    if (socket === null) {\n      chunk = nextWriteTimer = null\n      return false\n    }\n    const x = socket.write(chunk, fn)`);
  writeFileSync(file, text);
  patched++;
}
if (patched) console.error(`patch-postgres: guarded ${patched} copies of postgres/src/connection.js`);
