CREATE TABLE pipeline.generation_run (
    run_id      uuid PRIMARY KEY,
    params      jsonb NOT NULL,
    status      text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    days_total  integer NOT NULL,
    days_done   integer NOT NULL DEFAULT 0,
    rows_pushed jsonb NOT NULL DEFAULT '{}',
    defects     jsonb NOT NULL DEFAULT '{}',
    error       text,
    created_at  timestamptz NOT NULL,
    finished_at timestamptz
);
COMMENT ON TABLE pipeline.generation_run IS 'Generation runs: parameters, progress (days, rows pushed per entity), injected defects.';
