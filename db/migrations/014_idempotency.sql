-- Issue 14: idempotency keys bound to the request, and an audit row for every command written before it runs.

-- An Idempotency-Key belongs to one user and one request: the route (method and path) and a SHA-256 of the body.
-- While the first request runs, status is NULL (a duplicate waits for it); then the response is kept, refusals
-- included, so a repeat gets exactly the first answer until the key expires. A 5xx is not kept (the client may retry).
CREATE TABLE idempotency_keys (
  user_name     text NOT NULL,
  key           text NOT NULL,
  method        text NOT NULL,
  path          text NOT NULL,
  body_sha256   text NOT NULL,
  status        integer,
  content_type  text,
  response      text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  PRIMARY KEY (user_name, key)
);
CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);

-- The intent is written first (outcome 'pending'), then the outcome; the concrete path says which document a
-- command concerns where it is not an order.
ALTER TABLE audit_entries ADD COLUMN path text;
CREATE INDEX audit_entries_command_idx ON audit_entries (command, id);
CREATE INDEX audit_entries_actor_idx ON audit_entries (actor, id);

-- Operators' commands (npm run token:create, chat:link) are audited too, as channel 'cli'.
ALTER TABLE audit_entries DROP CONSTRAINT audit_entries_channel_check;
ALTER TABLE audit_entries ADD CONSTRAINT audit_entries_channel_check CHECK (channel IN ('api', 'chat', 'cli'));
