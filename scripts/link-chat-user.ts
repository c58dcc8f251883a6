import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { audited } from '../api/audit/record.js';
import { createSql } from '../db/client.js';
import { databaseConfig, orExit } from '../runtime/config.js';
import { loadDevEnv } from '../runtime/dev/env-file.js';

/**
 * `npm run chat:link -- --platform slack|dingtalk --chat-user ID --user NAME`: the chat
 * account then acts as that back-office user, with that user's role.
 */
async function main() {
  const { values } = parseArgs({ options: { platform: { type: 'string' }, 'chat-user': { type: 'string' }, user: { type: 'string' } } });
  const platform = values.platform;
  if ((platform !== 'slack' && platform !== 'dingtalk') || !values['chat-user'] || !values.user) {
    console.error('usage: npm run chat:link -- --platform slack|dingtalk --chat-user ID --user NAME');
    process.exit(64);
  }
  loadDevEnv(); // beside npm start: its Postgres, as order:inspect does
  const db = orExit(databaseConfig);
  const sql = createSql(db.DATABASE_URL, { max: 1 });
  try {
    const input = { platform, chatUser: values['chat-user'], user: values.user };
    const user = await audited(sql, { actor: userInfo().username, actorRole: null, channel: 'cli', command: 'chat:link', orderNumber: null, input }, async () => {
      const [row] = await sql`SELECT name, role FROM users WHERE name = ${input.user}`;
      if (!row) throw new Error(`no user ${input.user}; create one with npm run token:create`);
      await sql`
        INSERT INTO chat_users (platform, chat_user_id, user_name) VALUES (${platform}, ${input.chatUser}, ${input.user})
        ON CONFLICT (platform, chat_user_id) DO UPDATE SET user_name = EXCLUDED.user_name`;
      return row;
    });
    console.log(`${platform} ${values['chat-user']} → ${user.name} (${user.role})`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

void main();
