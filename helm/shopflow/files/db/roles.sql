-- ShopFlow's database roles: one login role per service, each granted only what it needs
-- (docs/security.md has the table). Run by a superuser on ShopFlow's database BEFORE the services
-- first start: they then create and own their schemas' tables through their own Flyway migrations.
-- Safe to run again. Passwords are not set here (ALTER ROLE ... PASSWORD by the caller:
-- helm/shopflow/files/db/init-roles.sh in the chart, the local launcher in ./shopflow).

DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['shopflow_generator', 'shopflow_ingestion', 'shopflow_transform',
                             'shopflow_quality', 'shopflow_analytics', 'shopflow_bi'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', r);
        END IF;
    END LOOP;
    -- No one but these may connect; only the two services that stage rows in temp tables may make them.
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO shopflow_generator, shopflow_ingestion, shopflow_transform, '
                   'shopflow_quality, shopflow_analytics, shopflow_bi', current_database());
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO shopflow_ingestion, shopflow_transform', current_database());
END
$roles$;

REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Each layer is owned by the service that writes it (ARCHITECTURE.md); pipeline is shared: every
-- writing service keeps its own tables there (and its Flyway history).
CREATE SCHEMA IF NOT EXISTS pipeline;
CREATE SCHEMA IF NOT EXISTS raw AUTHORIZATION shopflow_ingestion;
CREATE SCHEMA IF NOT EXISTS quarantine AUTHORIZATION shopflow_ingestion;
CREATE SCHEMA IF NOT EXISTS staging AUTHORIZATION shopflow_ingestion;
CREATE SCHEMA IF NOT EXISTS core AUTHORIZATION shopflow_transform;
CREATE SCHEMA IF NOT EXISTS warehouse AUTHORIZATION shopflow_transform;
CREATE SCHEMA IF NOT EXISTS marts AUTHORIZATION shopflow_transform;
CREATE SCHEMA IF NOT EXISTS quality AUTHORIZATION shopflow_quality;
CREATE SCHEMA IF NOT EXISTS bi AUTHORIZATION shopflow_transform;

REVOKE ALL ON SCHEMA pipeline FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA pipeline TO shopflow_generator, shopflow_ingestion, shopflow_transform, shopflow_quality;
GRANT USAGE ON SCHEMA pipeline TO shopflow_analytics;

-- Reads across layers. Default privileges cover the tables each owner creates later (its migrations,
-- transform's monthly partitions); the GRANT ... ON ALL TABLES lines cover a second run of this script.
-- transform reads staging (the core views and the runs); quality reads every layer it audits;
-- analytics reads only the marts and the pipeline status tables.
GRANT USAGE ON SCHEMA staging TO shopflow_transform, shopflow_quality;
GRANT USAGE ON SCHEMA raw, quarantine, core, warehouse TO shopflow_quality;
GRANT USAGE ON SCHEMA marts TO shopflow_quality, shopflow_analytics;

ALTER DEFAULT PRIVILEGES FOR ROLE shopflow_ingestion IN SCHEMA staging
    GRANT SELECT ON TABLES TO shopflow_transform, shopflow_quality;
ALTER DEFAULT PRIVILEGES FOR ROLE shopflow_ingestion IN SCHEMA raw, quarantine
    GRANT SELECT ON TABLES TO shopflow_quality;
ALTER DEFAULT PRIVILEGES FOR ROLE shopflow_ingestion IN SCHEMA pipeline
    GRANT SELECT ON TABLES TO shopflow_transform, shopflow_quality, shopflow_analytics;
ALTER DEFAULT PRIVILEGES FOR ROLE shopflow_transform IN SCHEMA core, warehouse
    GRANT SELECT ON TABLES TO shopflow_quality;
ALTER DEFAULT PRIVILEGES FOR ROLE shopflow_transform IN SCHEMA marts, pipeline
    GRANT SELECT ON TABLES TO shopflow_quality, shopflow_analytics;
-- transform's functions (marts.customer_rfm_inputs, ...): callable by the readers of marts only. The
-- built-in EXECUTE for PUBLIC is a global default, so it is revoked globally, then granted per schema.
ALTER DEFAULT PRIVILEGES FOR ROLE shopflow_transform REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE shopflow_transform IN SCHEMA marts
    GRANT EXECUTE ON FUNCTIONS TO shopflow_quality, shopflow_analytics;

GRANT SELECT ON ALL TABLES IN SCHEMA staging TO shopflow_transform, shopflow_quality;
GRANT SELECT ON ALL TABLES IN SCHEMA raw, quarantine, core, warehouse TO shopflow_quality;
GRANT SELECT ON ALL TABLES IN SCHEMA marts TO shopflow_quality, shopflow_analytics;

-- The one write across owners: transform moves the batches it claims along the ledger. Granted by
-- ingestion's migration V3 (column by column on pipeline.batch, which does not exist yet here).

-- Defence in depth for the read-only API: its sessions start read-only (the grants above are the
-- boundary; a session could switch this off).
ALTER ROLE shopflow_analytics SET default_transaction_read_only = on;

-- BI tools (shopflow_bi): the views of schema bi (transform's migration V8) and nothing else. The views
-- run with their owner's rights, so the role has no grant on any table, and its sessions are read-only.
REVOKE ALL ON SCHEMA bi FROM PUBLIC;
GRANT USAGE ON SCHEMA bi TO shopflow_bi;
ALTER DEFAULT PRIVILEGES FOR ROLE shopflow_transform IN SCHEMA bi GRANT SELECT ON TABLES TO shopflow_bi;
GRANT SELECT ON ALL TABLES IN SCHEMA bi TO shopflow_bi;
ALTER ROLE shopflow_bi SET default_transaction_read_only = on;
