-- The scope of a full build: everything. The dimensions and facts start empty; the marts recompute
-- every key and write what differs from the current rows (marts_full_1.sql).
CREATE TEMP TABLE run_batch ON COMMIT DROP AS SELECT batch_seq FROM pipeline.batch WHERE transform_run_id = :run;
CREATE TEMP TABLE run_customer_changed ON COMMIT DROP AS SELECT DISTINCT customer_id FROM staging.customer_versions;
CREATE TEMP TABLE run_product_changed ON COMMIT DROP AS SELECT DISTINCT product_id FROM staging.product_versions;
CREATE TEMP TABLE run_order ON COMMIT DROP AS SELECT order_id FROM staging.orders;
CREATE TEMP TABLE run_payment ON COMMIT DROP AS SELECT payment_id FROM staging.payments;
TRUNCATE warehouse.dim_customer, warehouse.dim_product, warehouse.fact_order_line, warehouse.fact_payment;
ANALYZE run_customer_changed;
ANALYZE run_product_changed;
ANALYZE run_order;
ANALYZE run_payment
