-- A command sent from the web console is audited as channel 'console', so an auditor can tell a clerk's click
-- from a script holding the same token.
ALTER TABLE audit_entries DROP CONSTRAINT audit_entries_channel_check;
ALTER TABLE audit_entries ADD CONSTRAINT audit_entries_channel_check CHECK (channel IN ('api', 'chat', 'cli', 'console'));
