-- The scope of an incremental run: what the claimed batches (:run) changed. Every run_* table lives
-- until the run's transaction ends. Rows are found by batch_seq through the BRIN indexes, which need
-- the range of the claimed batches spelled out.
CREATE TEMP TABLE run_batch ON COMMIT DROP AS
SELECT batch_seq FROM pipeline.batch WHERE transform_run_id = :run;
CREATE TEMP TABLE run_batch_range ON COMMIT DROP AS
SELECT coalesce(min(batch_seq), 0) AS first, coalesce(max(batch_seq), -1) AS last FROM run_batch;
-- customers and products with a version that arrived in these batches
CREATE TEMP TABLE run_customer_changed ON COMMIT DROP AS
SELECT DISTINCT customer_id FROM staging.customer_versions
WHERE batch_seq BETWEEN (SELECT first FROM run_batch_range) AND (SELECT last FROM run_batch_range)
  AND batch_seq IN (SELECT batch_seq FROM run_batch);
CREATE TEMP TABLE run_product_changed ON COMMIT DROP AS
SELECT DISTINCT product_id FROM staging.product_versions
WHERE batch_seq BETWEEN (SELECT first FROM run_batch_range) AND (SELECT last FROM run_batch_range)
  AND batch_seq IN (SELECT batch_seq FROM run_batch);
-- orders whose header or lines arrived (the facts step adds the orders the new dimension versions reach)
CREATE TEMP TABLE run_order ON COMMIT DROP AS
SELECT order_id FROM staging.orders
WHERE batch_seq BETWEEN (SELECT first FROM run_batch_range) AND (SELECT last FROM run_batch_range)
  AND batch_seq IN (SELECT batch_seq FROM run_batch)
UNION SELECT order_id FROM staging.order_items
WHERE batch_seq BETWEEN (SELECT first FROM run_batch_range) AND (SELECT last FROM run_batch_range)
  AND batch_seq IN (SELECT batch_seq FROM run_batch)
UNION SELECT order_id FROM core.order_header WHERE order_date BETWEEN :rebuild_from AND :rebuild_to
UNION SELECT order_id FROM warehouse.fact_order_line WHERE order_date BETWEEN :rebuild_from AND :rebuild_to;
CREATE TEMP TABLE run_payment ON COMMIT DROP AS
SELECT payment_id FROM staging.payments
WHERE batch_seq BETWEEN (SELECT first FROM run_batch_range) AND (SELECT last FROM run_batch_range)
  AND batch_seq IN (SELECT batch_seq FROM run_batch)
UNION SELECT payment_id FROM core.payment WHERE paid_date BETWEEN :rebuild_from AND :rebuild_to
UNION SELECT payment_id FROM warehouse.fact_payment WHERE paid_date BETWEEN :rebuild_from AND :rebuild_to;
ANALYZE run_customer_changed;
ANALYZE run_product_changed;
ANALYZE run_order;
ANALYZE run_payment
