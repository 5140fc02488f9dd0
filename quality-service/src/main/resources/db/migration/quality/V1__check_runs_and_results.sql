CREATE TABLE quality.check_run (
    run_id      bigserial PRIMARY KEY,
    layer       text NOT NULL,
    scope       jsonb NOT NULL,
    status      text NOT NULL CHECK (status IN ('passed', 'failed')),
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL
);
COMMENT ON TABLE quality.check_run IS 'One execution of the checks of a layer on a scope (e.g. an audit of a mart version).';

CREATE TABLE quality.check_result (
    result_id    bigserial PRIMARY KEY,
    run_id       bigint NOT NULL REFERENCES quality.check_run (run_id),
    check_name   text NOT NULL,
    layer        text NOT NULL,
    severity     text NOT NULL CHECK (severity IN ('warn', 'error')),
    status       text NOT NULL CHECK (status IN ('passed', 'failed')),
    failing_rows bigint NOT NULL,
    sample       jsonb NOT NULL,
    scope        jsonb NOT NULL,
    checked_at   timestamptz NOT NULL
);
CREATE INDEX check_result_run_idx ON quality.check_result (run_id);
CREATE INDEX check_result_status_idx ON quality.check_result (status, result_id);
CREATE INDEX check_result_name_idx ON quality.check_result (check_name, result_id);
COMMENT ON TABLE quality.check_result IS 'Every check result: time, check, layer, scope, status, failing-row count and up to 20 failing rows.';
