import type { Term } from './index.js';

/** The notification routing page's (通知设置) fields and the channels' names. */
export const NOTIFICATION_WORDS: Record<string, Term> = {
  notifyChannel: { zh: '渠道', en: 'Channel', kind: 'code' },
  webhookUrl: { zh: '群机器人地址', en: 'Group webhook' },
  escalationUser: { zh: '审批超时升级给', en: 'Overdue approvals escalate to' },
  dunningContactRoles: { zh: '催款通知发给联系人角色', en: 'Dunning goes to contacts whose role is' },
  shipmentContactRoles: { zh: '发货通知发给联系人角色', en: 'Shipment notices go to contacts whose role is' },
  userEmail: { zh: '邮箱', en: 'Email' },
  messageLanguage: { zh: '消息语言', en: 'Message language' },
  'channel.email': { zh: '邮件', en: 'Email' },
  'channel.slack': { zh: 'Slack', en: 'Slack' },
  'channel.dingtalk': { zh: '钉钉', en: 'DingTalk' },
  'channel.feishu': { zh: '飞书', en: 'Feishu' },
};
