-- E-mail once: the attempt to send a message is committed before the
-- message is handed over (`sending_at`, the attempt's time), with the
-- Message-ID it carries on every try (`message_id`), so that a message
-- whose send a stop interrupted is recognised and not sent blindly again
-- (`mail::run_batch`).
ALTER TABLE outbox ADD COLUMN sending_at TEXT;
ALTER TABLE outbox ADD COLUMN message_id TEXT;
-- The bytes of files a public report brought, counted against the day's
-- budget of its address and of everyone (`store::cases::create`).
ALTER TABLE form_hit ADD COLUMN bytes BIGINT NOT NULL DEFAULT 0;
CREATE INDEX form_hit_kind_at ON form_hit (kind, at);
