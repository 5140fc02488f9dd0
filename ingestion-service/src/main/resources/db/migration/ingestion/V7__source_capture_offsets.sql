-- Change data capture of PostgreSQL sources (docs/sources.md#change-data-capture): Debezium's offsets
-- (the position in the source's write-ahead log that is loaded) in ShopFlow's database, not in a
-- pod's file, so any replica resumes a capture where another stopped. Written after the micro-batch
-- that covers them is loaded: a crash between the two reads those changes again, and the batch keys
-- make that a replay.
CREATE TABLE pipeline.source_offset (
    source       text NOT NULL,
    offset_key   bytea NOT NULL,
    offset_value bytea,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, offset_key)
);
COMMENT ON TABLE pipeline.source_offset IS 'Debezium offsets of change data capture per source (key and value as the engine writes them).';
