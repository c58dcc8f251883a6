-- Issue 7: users with roles, API tokens, the audit trail (操作留痕) and the chat bot.

CREATE TABLE users (
  name        text PRIMARY KEY,
  role        text NOT NULL CHECK (role IN ('clerk', 'approver', 'credit_controller', 'warehouse', 'finance', 'admin')),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a token is kept: a leaked table does not leak usable tokens.
CREATE TABLE api_tokens (
  id          bigserial PRIMARY KEY,
  token_hash  text NOT NULL UNIQUE,
  user_name   text NOT NULL REFERENCES users (name),
  label       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

-- Every command, whoever refused it: who, when, through which channel, the input and the outcome.
CREATE TABLE audit_entries (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  actor         text NOT NULL,
  actor_role    text,
  channel       text NOT NULL CHECK (channel IN ('api', 'chat')),
  platform      text,
  command       text NOT NULL,
  order_number  text,
  input         jsonb NOT NULL DEFAULT '{}',
  outcome       text NOT NULL,
  message       text
);
CREATE INDEX audit_entries_order_idx ON audit_entries (order_number, id);

-- A chat account acts as the system user it is mapped to, with that user's role.
CREATE TABLE chat_users (
  platform      text NOT NULL CHECK (platform IN ('slack', 'dingtalk')),
  chat_user_id  text NOT NULL,
  user_name     text NOT NULL REFERENCES users (name),
  PRIMARY KEY (platform, chat_user_id)
);

-- Chat requests refused before any command ran: forged, replayed or unsigned.
CREATE TABLE chat_rejections (
  id            bigserial PRIMARY KEY,
  received_at   timestamptz NOT NULL DEFAULT now(),
  platform      text NOT NULL,
  path          text NOT NULL,
  reason        text NOT NULL,
  request_timestamp text,
  body_sha256   text NOT NULL
);

-- The approval request posted for an order, and where to update it once decided.
CREATE TABLE approval_messages (
  order_number  text PRIMARY KEY,
  message       jsonb NOT NULL,
  delivered     boolean NOT NULL,
  response_url  text,
  decision      text,
  posted_at     timestamptz NOT NULL DEFAULT now(),
  decided_at    timestamptz
);

-- Each verified chat signature is accepted once: a captured request sent again within
-- the platform's time window is a replay (DingTalk's signature does not even cover the body).
CREATE TABLE chat_seen_signatures (
  platform     text NOT NULL,
  signature    text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, signature)
);
