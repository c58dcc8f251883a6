-- When a delivery was last tried: the timeline dates a retry or a failure by it, not by when the message was written.
ALTER TABLE notification_deliveries ADD COLUMN last_attempt_at timestamptz;
-- A chat group's posts go out in order: the sender looks for an older undelivered post to the same address.
CREATE INDEX notification_deliveries_pending_address_idx ON notification_deliveries (address, id) WHERE status = 'pending';
