import type { ChatConfig } from '../../runtime/config.js';

/**
 * The chat bot's secrets and outgoing webhook. Read on every use (not copied), so
 * one object can be shared by the API and the worker's activities.
 */
export interface ChatSettings {
  slackSigningSecret?: string | undefined;
  dingtalkAppSecret?: string | undefined;
  /** Origins a DingTalk sessionWebhook may have; unset: any (tests point it at a local receiver). */
  dingtalkReplyOrigins?: string[] | undefined;
  /** A Slack group's incoming webhook that also gets every approval request and decision (through the outbox). */
  webhookUrl?: string | undefined;
  /** DingTalk custom group robot (自定义机器人) and its 加签 secret (messages/chat-render.ts signedDingTalkWebhook). */
  dingtalkWebhookUrl?: string | undefined;
  dingtalkWebhookSecret?: string | undefined;
  /** Feishu custom group robot and its 签名校验 secret (messages/chat-render.ts renderFor feishuSecret). */
  feishuWebhookUrl?: string | undefined;
  feishuSecret?: string | undefined;
  /** The console's address for links in messages. */
  consoleUrl?: string | undefined;
}

export function chatSettingsFrom(config: ChatConfig): ChatSettings {
  return {
    slackSigningSecret: config.SLACK_SIGNING_SECRET,
    dingtalkAppSecret: config.DINGTALK_APP_SECRET,
    dingtalkReplyOrigins: ['https://oapi.dingtalk.com', 'https://api.dingtalk.com'],
    webhookUrl: config.CHAT_WEBHOOK_URL,
    dingtalkWebhookUrl: config.DINGTALK_WEBHOOK_URL,
    dingtalkWebhookSecret: config.DINGTALK_WEBHOOK_SECRET,
    feishuWebhookUrl: config.FEISHU_WEBHOOK_URL,
    feishuSecret: config.FEISHU_SECRET,
    consoleUrl: config.CONSOLE_PUBLIC_URL,
  };
}
