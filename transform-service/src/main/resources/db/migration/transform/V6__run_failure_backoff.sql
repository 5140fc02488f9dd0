-- A failed run says how many runs failed in a row and until when automatic runs (the sweep, chained
-- runs, ingestion's nudges) wait: a failure that repeats on the same data no longer retries every
-- few seconds forever. A rebuild request starts at once regardless.
ALTER TABLE pipeline.transform_run
    ADD COLUMN consecutive_failures integer,
    ADD COLUMN retry_after timestamptz;
COMMENT ON COLUMN pipeline.transform_run.consecutive_failures IS 'Failed runs in a row up to and including this one (failed runs only).';
COMMENT ON COLUMN pipeline.transform_run.retry_after IS 'Failed runs only: automatic runs do not start before this time (exponential back-off).';
