-- The scope of an incremental run: what the claimed batches (:run) changed. Every run_* table lives
-- until the run's transaction ends.
CREATE TEMP TABLE run_batch ON COMMIT DROP AS
SELECT batch_seq FROM pipeline.batch WHERE transform_run_id = :run;
-- customers and products with a version that arrived in these batches
CREATE TEMP TABLE run_customer_changed ON COMMIT DROP AS
SELECT DISTINCT customer_id FROM staging.customer_versions WHERE batch_seq IN (SELECT batch_seq FROM run_batch);
CREATE TEMP TABLE run_product_changed ON COMMIT DROP AS
SELECT DISTINCT product_id FROM staging.product_versions WHERE batch_seq IN (SELECT batch_seq FROM run_batch);
-- orders whose header or lines arrived, and the orders of changed customers and products
-- (their facts point at the dimension versions, which the dimensions step renumbers)
CREATE TEMP TABLE run_order ON COMMIT DROP AS
SELECT order_id FROM staging.orders WHERE batch_seq IN (SELECT batch_seq FROM run_batch)
UNION SELECT order_id FROM staging.order_items WHERE batch_seq IN (SELECT batch_seq FROM run_batch)
UNION SELECT order_id FROM warehouse.fact_order_line WHERE customer_id IN (SELECT customer_id FROM run_customer_changed)
UNION SELECT order_id FROM warehouse.fact_order_line WHERE product_id IN (SELECT product_id FROM run_product_changed)
UNION SELECT order_id FROM core.order_header WHERE order_date BETWEEN :rebuild_from AND :rebuild_to
UNION SELECT order_id FROM warehouse.fact_order_line WHERE order_date BETWEEN :rebuild_from AND :rebuild_to;
CREATE TEMP TABLE run_payment ON COMMIT DROP AS
SELECT payment_id FROM staging.payments WHERE batch_seq IN (SELECT batch_seq FROM run_batch)
UNION SELECT payment_id FROM core.payment WHERE paid_date BETWEEN :rebuild_from AND :rebuild_to
UNION SELECT payment_id FROM warehouse.fact_payment WHERE paid_date BETWEEN :rebuild_from AND :rebuild_to;
ANALYZE run_customer_changed;
ANALYZE run_product_changed;
ANALYZE run_order;
ANALYZE run_payment
