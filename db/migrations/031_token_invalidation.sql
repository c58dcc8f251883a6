-- Issue 20: each API process caches token hash -> user (api/auth/token-cache.ts). Whatever changes who a token
-- stands for tells every process on the channel api_token_invalidation, from a trigger so that no write path can
-- forget it; pg_notify in the writing transaction is delivered at its commit, and not at all if it rolls back.
-- Payloads: 'token:<hash>', 'user:<name>', or 'all' (a TRUNCATE, or a name too long for a payload).

CREATE FUNCTION notify_token_invalidation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('api_token_invalidation', 'all');
  ELSIF TG_TABLE_NAME = 'api_tokens' THEN
    PERFORM pg_notify('api_token_invalidation', 'token:' || OLD.token_hash);
  ELSIF length(OLD.name) <= 1000 THEN
    PERFORM pg_notify('api_token_invalidation', 'user:' || OLD.name);
  ELSE
    PERFORM pg_notify('api_token_invalidation', 'all');
  END IF;
  RETURN NULL;
END $$;

-- A new token needs no message: an unknown token is never cached.
CREATE TRIGGER api_tokens_invalidate AFTER UPDATE ON api_tokens FOR EACH ROW
  WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION notify_token_invalidation();
CREATE TRIGGER api_tokens_invalidate_deleted AFTER DELETE ON api_tokens FOR EACH ROW EXECUTE FUNCTION notify_token_invalidation();
CREATE TRIGGER api_tokens_invalidate_all AFTER TRUNCATE ON api_tokens FOR EACH STATEMENT EXECUTE FUNCTION notify_token_invalidation();

-- Only what the cached user holds: name, role, active (an email or language change keeps the cache).
CREATE TRIGGER users_invalidate AFTER UPDATE OF name, role, active ON users FOR EACH ROW
  WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.role IS DISTINCT FROM NEW.role OR OLD.active IS DISTINCT FROM NEW.active)
  EXECUTE FUNCTION notify_token_invalidation();
CREATE TRIGGER users_invalidate_deleted AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION notify_token_invalidation();
CREATE TRIGGER users_invalidate_all AFTER TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION notify_token_invalidation();
