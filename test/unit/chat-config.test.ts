import { describe, expect, it } from 'vitest';
import { chatSettingsFrom } from '../../api/chat/settings.js';
import { chatConfig, ConfigError } from '../../runtime/config.js';

describe('chat robots in the configuration', () => {
  it('takes the DingTalk and Feishu group robots with their secrets and the console address', () => {
    const settings = chatSettingsFrom(
      chatConfig({
        DINGTALK_WEBHOOK_URL: 'https://oapi.dingtalk.com/robot/send?access_token=t',
        DINGTALK_WEBHOOK_SECRET: 'SEC1',
        FEISHU_WEBHOOK_URL: 'https://open.feishu.cn/open-apis/bot/v2/hook/h',
        FEISHU_SECRET: 'fs',
        CONSOLE_PUBLIC_URL: 'https://bo.example.com',
      }),
    );
    expect(settings).toMatchObject({
      dingtalkWebhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=t',
      dingtalkWebhookSecret: 'SEC1',
      feishuWebhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/h',
      feishuSecret: 'fs',
      consoleUrl: 'https://bo.example.com',
    });
  });

  it('refuses a secret without its robot and a webhook that is not a URL, naming the variable', () => {
    expect(() => chatConfig({ FEISHU_SECRET: 'fs' })).toThrow(new ConfigError('configuration error:\n  FEISHU_SECRET is set but FEISHU_WEBHOOK_URL is not (the secret signs that robot\'s messages)'));
    expect(() => chatConfig({ DINGTALK_WEBHOOK_SECRET: 's' })).toThrow(/DINGTALK_WEBHOOK_SECRET is set but DINGTALK_WEBHOOK_URL is not/);
    expect(() => chatConfig({ FEISHU_WEBHOOK_URL: 'open.feishu.cn/hook' })).toThrow(/FEISHU_WEBHOOK_URL="open.feishu.cn\/hook" is not valid/);
  });
});
