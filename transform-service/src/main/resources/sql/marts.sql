-- Version :version of the marts: for every date and customer whose facts changed since the last
-- published version, the current rows are closed (version_to) and recomputed from the facts.
-- Rows of other keys carry over untouched, so readers of the published version never notice.
CREATE TEMP TABLE run_date ON COMMIT DROP AS
SELECT DISTINCT order_date FROM warehouse.unpublished_change WHERE order_date IS NOT NULL;
CREATE TEMP TABLE run_customer ON COMMIT DROP AS
SELECT DISTINCT customer_id FROM warehouse.unpublished_change WHERE customer_id IS NOT NULL;
CREATE TEMP TABLE run_paid_date ON COMMIT DROP AS
SELECT DISTINCT paid_date FROM warehouse.unpublished_change WHERE paid_date IS NOT NULL;
ANALYZE run_date;
ANALYZE run_customer;
ANALYZE run_paid_date;
CREATE TEMP TABLE run_fact ON COMMIT DROP AS
SELECT order_id, order_date, customer_id, product_id, category, channel, country, coalesce(state, '') AS state, quantity, revenue
FROM warehouse.fact_order_line WHERE is_qualifying AND order_date IN (SELECT order_date FROM run_date);

UPDATE marts.mart_daily_sales SET version_to = :version
WHERE version_to = 9223372036854775807 AND order_date IN (SELECT order_date FROM run_date);
INSERT INTO marts.mart_daily_sales (order_date, revenue, orders, units, version_from)
SELECT order_date, sum(revenue), count(DISTINCT order_id), sum(quantity), :version FROM run_fact GROUP BY order_date;

UPDATE marts.mart_daily_category_sales SET version_to = :version
WHERE version_to = 9223372036854775807 AND order_date IN (SELECT order_date FROM run_date);
INSERT INTO marts.mart_daily_category_sales (order_date, category, revenue, orders, units, version_from)
SELECT order_date, category, sum(revenue), count(DISTINCT order_id), sum(quantity), :version FROM run_fact GROUP BY 1, 2;

UPDATE marts.mart_daily_channel_sales SET version_to = :version
WHERE version_to = 9223372036854775807 AND order_date IN (SELECT order_date FROM run_date);
INSERT INTO marts.mart_daily_channel_sales (order_date, channel, revenue, orders, units, version_from)
SELECT order_date, channel, sum(revenue), count(DISTINCT order_id), sum(quantity), :version FROM run_fact GROUP BY 1, 2;

UPDATE marts.mart_product_daily SET version_to = :version
WHERE version_to = 9223372036854775807 AND order_date IN (SELECT order_date FROM run_date);
INSERT INTO marts.mart_product_daily (order_date, product_id, revenue, units, orders, version_from)
SELECT order_date, product_id, sum(revenue), sum(quantity), count(DISTINCT order_id), :version FROM run_fact GROUP BY 1, 2;

UPDATE marts.mart_customer_daily SET version_to = :version
WHERE version_to = 9223372036854775807 AND order_date IN (SELECT order_date FROM run_date);
INSERT INTO marts.mart_customer_daily (order_date, customer_id, country, state, orders, revenue, version_from)
SELECT order_date, customer_id, country, state, count(DISTINCT order_id), sum(revenue), :version FROM run_fact GROUP BY 1, 2, 3, 4;

UPDATE marts.mart_payment_daily SET version_to = :version
WHERE version_to = 9223372036854775807 AND paid_date IN (SELECT paid_date FROM run_paid_date);
INSERT INTO marts.mart_payment_daily (paid_date, method, amount, payments, version_from)
SELECT paid_date, method, sum(amount), count(*), :version
FROM warehouse.fact_payment WHERE status = 'captured' AND paid_date IN (SELECT paid_date FROM run_paid_date) GROUP BY 1, 2;

-- customers: lifetime figures over all their qualifying facts
UPDATE marts.mart_customer SET version_to = :version
WHERE version_to = 9223372036854775807 AND customer_id IN (SELECT customer_id FROM run_customer);
INSERT INTO marts.mart_customer (customer_id, first_order_date, last_order_date, orders, ltv, ltv_30d, active_months, version_from)
SELECT customer_id, min(order_date), max(order_date), count(DISTINCT order_id), sum(revenue),
       sum(revenue) FILTER (WHERE order_date <= first_date + 30),
       array_agg(DISTINCT date_trunc('month', order_date)::date ORDER BY date_trunc('month', order_date)::date), :version
FROM (SELECT f.customer_id, f.order_id, f.order_date, f.revenue, min(f.order_date) OVER (PARTITION BY f.customer_id) AS first_date
      FROM warehouse.fact_order_line f
      WHERE f.is_qualifying AND f.customer_id IN (SELECT customer_id FROM run_customer)) q
GROUP BY customer_id;

-- cohorts: counts are additive over customers, so the changed customers' old contribution (rows
-- this version closed) is taken off and their new one added
CREATE TEMP TABLE run_cohort_delta ON COMMIT DROP AS
SELECT cohort_month, month_offset, sum(sign)::integer AS delta
FROM (SELECT date_trunc('month', first_order_date)::date AS cohort_month,
             ((extract(year FROM m) - extract(year FROM first_order_date)) * 12
              + extract(month FROM m) - extract(month FROM first_order_date))::integer AS month_offset, sign
      FROM (SELECT first_order_date, active_months, -1 AS sign FROM marts.mart_customer WHERE version_to = :version
            UNION ALL
            SELECT first_order_date, active_months, 1 FROM marts.mart_customer WHERE version_from = :version) c,
           unnest(c.active_months) AS m) x
GROUP BY 1, 2 HAVING sum(sign) <> 0;
UPDATE marts.mart_cohort m SET version_to = :version FROM run_cohort_delta d
WHERE m.version_to = 9223372036854775807 AND m.cohort_month = d.cohort_month AND m.month_offset = d.month_offset;
INSERT INTO marts.mart_cohort (cohort_month, month_offset, customers, version_from)
SELECT d.cohort_month, d.month_offset, coalesce(m.customers, 0) + d.delta, :version
FROM run_cohort_delta d
LEFT JOIN marts.mart_cohort m ON m.cohort_month = d.cohort_month AND m.month_offset = d.month_offset AND m.version_to = :version
WHERE coalesce(m.customers, 0) + d.delta <> 0
