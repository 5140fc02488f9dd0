-- A SQL door for BI tools (Power BI, Tableau, Metabase): views in schema bi, read by the role
-- shopflow_bi (helm/shopflow/files/db/roles.sql), which can read nothing else. Every mart view shows
-- exactly the published version (the highest in pipeline.published_version, read once per statement),
-- so a dashboard never sees a version under audit, and a publish shows in every view at once; the views
-- run with their owner's rights, so the role needs no grant on the versioned tables behind them.
CREATE VIEW bi.published_version AS
SELECT p.version, p.watermark AS as_of, p.published_at,
       EXISTS (SELECT FROM warehouse.unpublished_fact_delta) OR EXISTS (SELECT FROM warehouse.unpublished_change)
           AS warehouse_pending
FROM pipeline.published_version p
ORDER BY p.version DESC
LIMIT 1;
COMMENT ON VIEW bi.published_version IS 'The version every bi view shows: the latest published mart version.';
COMMENT ON COLUMN bi.published_version.version IS 'The published mart version (the version of API answers).';
COMMENT ON COLUMN bi.published_version.as_of IS 'Receive time of the newest batch included (as_of of API answers).';
COMMENT ON COLUMN bi.published_version.published_at IS 'When it was published.';
COMMENT ON COLUMN bi.published_version.warehouse_pending IS 'True while the star schema (dim_*, fact_*) holds changes not yet published: during a run''s audit, or after an audit failed until the next publish.';

CREATE VIEW bi.daily_sales AS
SELECT order_date, revenue, orders, units FROM marts.mart_daily_sales
WHERE version_from <= (SELECT max(version) FROM pipeline.published_version)
  AND version_to > (SELECT max(version) FROM pipeline.published_version);
CREATE VIEW bi.daily_category_sales AS
SELECT order_date, category, revenue, orders, units FROM marts.mart_daily_category_sales
WHERE version_from <= (SELECT max(version) FROM pipeline.published_version)
  AND version_to > (SELECT max(version) FROM pipeline.published_version);
CREATE VIEW bi.daily_channel_sales AS
SELECT order_date, channel, revenue, orders, units FROM marts.mart_daily_channel_sales
WHERE version_from <= (SELECT max(version) FROM pipeline.published_version)
  AND version_to > (SELECT max(version) FROM pipeline.published_version);
CREATE VIEW bi.product_daily AS
SELECT order_date, product_id, revenue, units, orders FROM marts.mart_product_daily
WHERE version_from <= (SELECT max(version) FROM pipeline.published_version)
  AND version_to > (SELECT max(version) FROM pipeline.published_version);
CREATE VIEW bi.products AS
SELECT product_id, name, category FROM marts.mart_product
WHERE version_from <= (SELECT max(version) FROM pipeline.published_version)
  AND version_to > (SELECT max(version) FROM pipeline.published_version);
CREATE VIEW bi.customer_daily AS
SELECT order_date, customer_id, country, state, orders, revenue FROM marts.mart_customer_daily
WHERE version_from <= (SELECT max(version) FROM pipeline.published_version)
  AND version_to > (SELECT max(version) FROM pipeline.published_version);
CREATE VIEW bi.customers AS
SELECT customer_id, first_order_date, last_order_date, orders, ltv, ltv_30d, active_months FROM marts.mart_customer
WHERE version_from <= (SELECT max(version) FROM pipeline.published_version)
  AND version_to > (SELECT max(version) FROM pipeline.published_version);
CREATE VIEW bi.cohorts AS
SELECT cohort_month, month_offset, customers FROM marts.mart_cohort
WHERE version_from <= (SELECT max(version) FROM pipeline.published_version)
  AND version_to > (SELECT max(version) FROM pipeline.published_version);
CREATE VIEW bi.payment_daily AS
SELECT paid_date, method, amount, payments FROM marts.mart_payment_daily
WHERE version_from <= (SELECT max(version) FROM pipeline.published_version)
  AND version_to > (SELECT max(version) FROM pipeline.published_version);

-- The star schema is not versioned: its views show the warehouse as the last run built it, which is
-- the published version unless bi.published_version.warehouse_pending says otherwise.
CREATE VIEW bi.dim_customer AS SELECT * FROM warehouse.dim_customer;
CREATE VIEW bi.dim_product AS SELECT * FROM warehouse.dim_product;
CREATE VIEW bi.dim_date AS SELECT * FROM warehouse.dim_date;
CREATE VIEW bi.fact_order_line AS SELECT * FROM warehouse.fact_order_line;
CREATE VIEW bi.fact_payment AS SELECT * FROM warehouse.fact_payment;

-- Each view and column carries the comment of the table and column it shows.
DO $comments$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT v.name, v.source, obj_description(v.source::regclass, 'pg_class') AS table_comment
        FROM (VALUES ('daily_sales', 'marts.mart_daily_sales'), ('daily_category_sales', 'marts.mart_daily_category_sales'),
                     ('daily_channel_sales', 'marts.mart_daily_channel_sales'), ('product_daily', 'marts.mart_product_daily'),
                     ('products', 'marts.mart_product'), ('customer_daily', 'marts.mart_customer_daily'),
                     ('customers', 'marts.mart_customer'), ('cohorts', 'marts.mart_cohort'),
                     ('payment_daily', 'marts.mart_payment_daily'), ('dim_customer', 'warehouse.dim_customer'),
                     ('dim_product', 'warehouse.dim_product'), ('dim_date', 'warehouse.dim_date'),
                     ('fact_order_line', 'warehouse.fact_order_line'), ('fact_payment', 'warehouse.fact_payment')) v(name, source)
    LOOP
        EXECUTE format('COMMENT ON VIEW bi.%I IS %L', r.name,
                       r.table_comment || CASE WHEN r.source LIKE 'marts.%' THEN ' Shows the published version.'
                                               ELSE ' Shows the warehouse as the last run built it (see bi.published_version.warehouse_pending).' END);
        EXECUTE (SELECT string_agg(format('COMMENT ON COLUMN bi.%I.%I IS %L', r.name, a.attname,
                                          col_description(r.source::regclass, s.attnum)), '; ')
                 FROM pg_attribute a
                 JOIN pg_attribute s ON s.attrelid = r.source::regclass AND s.attname = a.attname
                 WHERE a.attrelid = format('bi.%I', r.name)::regclass AND a.attnum > 0 AND NOT a.attisdropped);
    END LOOP;
END
$comments$;

-- Readable by the BI role where it exists (roles.sql creates it; default privileges cover views the
-- transform role creates later, this covers a migration run by another owner).
DO $grants$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'shopflow_bi') THEN
        GRANT USAGE ON SCHEMA bi TO shopflow_bi;
        GRANT SELECT ON ALL TABLES IN SCHEMA bi TO shopflow_bi;
    END IF;
END
$grants$;
