-- The SHA-256 of a batch's body as sent, kept with its idempotency key: the same key with the same
-- body is a replay (200, the original report), the same key with another body a 422, never a silent
-- drop of the new body (docs/contract.md section 2; docs/ingestion.md). Batches loaded before this
-- column existed have none: a replay of their key is answered as a replay, as it was.
ALTER TABLE pipeline.batch ADD COLUMN body_sha256 text;
COMMENT ON COLUMN pipeline.batch.body_sha256 IS 'SHA-256 (hex) of the body as sent; a reused Idempotency-Key with another body is refused (422)';
