-- A check that could not run (bad SQL, missing table, no version in scope) is stored as 'error'.
ALTER TABLE quality.check_result DROP CONSTRAINT check_result_status_check;
ALTER TABLE quality.check_result ADD CONSTRAINT check_result_status_check CHECK (status IN ('passed', 'failed', 'error'));
CREATE INDEX check_result_layer_idx ON quality.check_result (layer, result_id);
