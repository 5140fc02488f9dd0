-- The one write across owners: transform moves the batches it claims along the ledger, so it may
-- update these three columns of pipeline.batch and nothing else of ingestion's. The per-service roles
-- come from helm/shopflow/files/db/roles.sql; a database run by one user for every service (no such
-- role) needs no grant.
DO $grant$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'shopflow_transform') THEN
        GRANT UPDATE (status, transform_run_id, published_version) ON pipeline.batch TO shopflow_transform;
    END IF;
END
$grant$;
