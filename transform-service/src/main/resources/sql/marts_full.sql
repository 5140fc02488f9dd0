-- Version :version of the marts in a full build: every current row is closed (version_to) and every
-- key recomputed from the facts. Orders are counted by grouping first by order and then by the
-- mart's key: two hash aggregations instead of a sorting count(DISTINCT) per group.
CREATE TEMP TABLE run_line ON COMMIT DROP AS
SELECT order_id, order_date, customer_id, product_id, category, channel, country, coalesce(state, '') AS state, quantity, revenue
FROM warehouse.fact_order_line WHERE is_qualifying;

UPDATE marts.mart_daily_sales SET version_to = :version
WHERE version_to = 9223372036854775807;
INSERT INTO marts.mart_daily_sales (order_date, revenue, orders, units, version_from)
SELECT order_date, sum(revenue), count(*), sum(units), :version
FROM (SELECT order_date, order_id, sum(revenue) AS revenue, sum(quantity) AS units FROM run_line GROUP BY 1, 2) o
GROUP BY order_date;

UPDATE marts.mart_daily_category_sales SET version_to = :version
WHERE version_to = 9223372036854775807;
INSERT INTO marts.mart_daily_category_sales (order_date, category, revenue, orders, units, version_from)
SELECT order_date, category, sum(revenue), count(*), sum(units), :version
FROM (SELECT order_date, category, order_id, sum(revenue) AS revenue, sum(quantity) AS units FROM run_line GROUP BY 1, 2, 3) o
GROUP BY 1, 2;

UPDATE marts.mart_daily_channel_sales SET version_to = :version
WHERE version_to = 9223372036854775807;
INSERT INTO marts.mart_daily_channel_sales (order_date, channel, revenue, orders, units, version_from)
SELECT order_date, channel, sum(revenue), count(*), sum(units), :version
FROM (SELECT order_date, channel, order_id, sum(revenue) AS revenue, sum(quantity) AS units FROM run_line GROUP BY 1, 2, 3) o
GROUP BY 1, 2;

UPDATE marts.mart_product_daily SET version_to = :version
WHERE version_to = 9223372036854775807;
INSERT INTO marts.mart_product_daily (order_date, product_id, revenue, units, orders, version_from)
SELECT order_date, product_id, sum(revenue), sum(units), count(*), :version
FROM (SELECT order_date, product_id, order_id, sum(revenue) AS revenue, sum(quantity) AS units FROM run_line GROUP BY 1, 2, 3) o
GROUP BY 1, 2;

UPDATE marts.mart_customer_daily SET version_to = :version
WHERE version_to = 9223372036854775807;
INSERT INTO marts.mart_customer_daily (order_date, customer_id, country, state, orders, revenue, version_from)
SELECT order_date, customer_id, country, state, count(*), sum(revenue), :version
FROM (SELECT order_date, customer_id, country, state, order_id, sum(revenue) AS revenue FROM run_line GROUP BY 1, 2, 3, 4, 5) o
GROUP BY 1, 2, 3, 4;

UPDATE marts.mart_payment_daily SET version_to = :version
WHERE version_to = 9223372036854775807;
INSERT INTO marts.mart_payment_daily (paid_date, method, amount, payments, version_from)
SELECT paid_date, method, sum(amount), count(*), :version
FROM warehouse.fact_payment
WHERE status = 'captured'
GROUP BY 1, 2;
ANALYZE marts.mart_daily_sales;
ANALYZE marts.mart_daily_category_sales;
ANALYZE marts.mart_daily_channel_sales;
ANALYZE marts.mart_product_daily;
ANALYZE marts.mart_customer_daily;
ANALYZE marts.mart_payment_daily
