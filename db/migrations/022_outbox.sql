-- Issue 18: messages reach people. A notification row holds the message (domain/notifications.ts)
-- and its deliveries, one per channel and address as the recipient sees it, written in the
-- transaction of the step that causes it; the sender (runtime/outbox/) delivers them with retries.

-- Where a user is reached, and in which language (the console's two).
ALTER TABLE users
  ADD COLUMN email    text CHECK (email ~ '^[^\s@]+@[^\s@]+$' AND length(email) <= 200),
  ADD COLUMN language text NOT NULL DEFAULT 'zh' CHECK (language IN ('zh', 'en'));

-- Rows written before the outbox (and timeline-only notes such as credit warnings) have no message.
ALTER TABLE notifications ADD COLUMN body jsonb;

-- Who gets what is data: each role's channels; a chat channel posts to its group robot's webhook,
-- email goes to each user's own address.
CREATE TABLE notification_routes (
  role         text NOT NULL CHECK (role IN ('clerk', 'approver', 'credit_controller', 'warehouse', 'finance', 'admin')),
  channel      text NOT NULL CHECK (channel IN ('email', 'slack', 'dingtalk', 'feishu')),
  webhook_url  text CHECK (webhook_url ~ '^https?://' AND length(webhook_url) <= 500),
  PRIMARY KEY (role, channel),
  CONSTRAINT chat_routes_name_their_webhook CHECK ((channel = 'email') = (webhook_url IS NULL))
);
INSERT INTO notification_routes (role, channel) VALUES
  ('approver', 'email'), ('credit_controller', 'email'), ('finance', 'email'), ('admin', 'email'), ('clerk', 'email');

CREATE TABLE notification_deliveries (
  id               bigserial PRIMARY KEY,
  notification_id  bigint NOT NULL REFERENCES notifications,
  channel          text NOT NULL CHECK (channel IN ('email', 'slack', 'dingtalk', 'feishu')),
  -- An email address or a webhook URL: two approvers in one chat group see one post.
  address          text NOT NULL,
  recipients       text[] NOT NULL,
  language         text NOT NULL CHECK (language IN ('zh', 'en')),
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         int NOT NULL DEFAULT 0,
  -- When it may be tried next: a claim moves it past the send's timeout, so a crashed sender's claim lapses.
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  sent_at          timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (notification_id, channel, address)
);
CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notification_deliveries_notification_idx ON notification_deliveries (notification_id);

-- Named people rather than "approver": who an escalation goes to, and which customer contacts
-- (by their role, e.g. 财务 / finance) get dunning and shipment notices; an empty list: every contact with an email.
INSERT INTO company_settings (key, value) VALUES
  ('notify.escalation_user', 'null'),
  ('notify.contact_roles', '{"dunning": ["finance", "财务"], "shipment_notice": ["receiving", "logistics", "收货"]}');

-- Whether the approval request reached anyone is now its deliveries' status.
ALTER TABLE approval_messages DROP COLUMN delivered;
