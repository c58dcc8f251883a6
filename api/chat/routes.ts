import { Hono } from 'hono';
import type { ChatDeps } from './commands.js';
import { dingTalkRoutes } from './dingtalk.js';
import type { ChatSettings } from './settings.js';
import { slackRoutes } from './slack.js';

/** The chat bot's endpoints; each verifies its platform's signature instead of a bearer token. */
export function chatRoutes(deps: ChatDeps & { chat: ChatSettings; now?: () => Date }) {
  const app = new Hono();
  app.route('/slack', slackRoutes(deps));
  app.route('/dingtalk', dingTalkRoutes(deps));
  return app;
}
