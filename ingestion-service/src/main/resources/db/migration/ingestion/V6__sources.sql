-- Sources (docs/sources.md): data pulled from a shop's own database by mapping queries. The cursor of
-- each (source, entity) moves in the same transaction as the batch that loaded the rows it covers, so
-- it never passes a row not loaded; a run's record says what it read and why it failed.
CREATE TABLE pipeline.source_cursor (
    source       text NOT NULL,
    entity       text NOT NULL,
    cursor_kind  text NOT NULL CHECK (cursor_kind IN ('timestamp', 'number', 'text')),
    cursor_value text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, entity)
);
COMMENT ON TABLE pipeline.source_cursor IS 'The newest cursor value loaded per source and entity (incremental runs read past it).';
COMMENT ON COLUMN pipeline.source_cursor.cursor_kind IS 'timestamp (stored as an ISO-8601 instant), number or text: how the value is bound in the next run''s query.';

CREATE TABLE pipeline.source_run (
    run_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source      text NOT NULL,
    full_read   boolean NOT NULL,
    status      text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    entities    jsonb NOT NULL DEFAULT '{}'::jsonb,
    errors      jsonb NOT NULL DEFAULT '[]'::jsonb
);
CREATE INDEX source_run_source_idx ON pipeline.source_run (source, run_id DESC);
COMMENT ON TABLE pipeline.source_run IS 'Runs of sources: per entity the rows read, loaded and quarantined, the batches, the cursor before and after; errors with the source''s own text.';
