import { describe, expect, it } from 'vitest';
import { isInternalHost, webhookAddressProblem } from '../../domain/webhooks.js';

describe('where a chat webhook may point', () => {
  it("refuses the company's own network however it is written", () => {
    const internal = [
      'http://127.0.0.1:5432/', 'http://127.1/', 'http://2130706433/', 'http://0x7f000001/', 'http://localhost:3000/x', 'http://api.localhost/',
      'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.5/hook', 'http://172.20.1.1/', 'http://192.168.1.10/', 'http://100.64.0.1/',
      'http://0.0.0.0/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:a9fe:a9fe]/', 'http://[fd00::1]/', 'http://[fe80::1]/',
      'http://postgres:5432/', 'http://metadata.google.internal/', 'http://printer.local/', 'http://LOCALHOST./',
    ];
    expect(internal.filter((u) => webhookAddressProblem(u) === undefined)).toEqual([]);
    expect(webhookAddressProblem('http://169.254.169.254/x')).toBe("169.254.169.254 is an internal host of the local network; give the group robot's address on the internet");
  });

  it('lets the group robots and other public hosts through', () => {
    const robots = [
      'https://oapi.dingtalk.com/robot/send?access_token=abc', 'https://open.feishu.cn/open-apis/bot/v2/hook/x', 'https://hooks.slack.com/services/T/B/x',
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', 'https://8.8.8.8/', 'https://172.32.0.1/', 'https://[2001:db8::1]/',
    ];
    expect(robots.filter((u) => webhookAddressProblem(u) !== undefined)).toEqual([]);
    expect(isInternalHost('open.feishu.cn')).toBe(false);
  });
});
