-- A mart version is written and committed before its audit; publishing or discarding it is a second
-- transaction. A run that dies in between (kill -9, the database restarting, a lost connection) left
-- its rows current and its fact deltas pending, so the next incremental run applied those deltas a
-- second time on top of them. Each built version is noted here in the build's own transaction and
-- removed when it is published or discarded; whatever is still here when a run starts is discarded
-- first.
CREATE TABLE pipeline.unsettled_version (
    version  bigint PRIMARY KEY,
    run_id   bigint NOT NULL,
    built_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE pipeline.unsettled_version IS 'Mart versions built but not yet published or discarded (the next run discards any left by a run that died).';
COMMENT ON COLUMN pipeline.unsettled_version.version IS 'The mart version (pipeline.mart_version_seq).';
COMMENT ON COLUMN pipeline.unsettled_version.run_id IS 'The transform run that built it.';
COMMENT ON COLUMN pipeline.unsettled_version.built_at IS 'When the build transaction wrote it.';
