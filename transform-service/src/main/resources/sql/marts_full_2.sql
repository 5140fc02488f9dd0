-- Version :version of the marts in a full build, second half: category-day, customer-day and
-- payments (then marts_lifetime.sql on the same connection); see marts_full_1.sql.
-- Orders are counted by grouping first by order and then by the mart's key: two aggregations
-- instead of a sorting count(DISTINCT) per group. Each mart is recomputed into a temporary table (as a
-- plain CREATE TABLE ... AS would), then only the difference is written: current rows whose key is
-- gone or whose figures changed are closed (version_to), rows not already current are added.
-- Version :version sees exactly the recomputed set; a rebuild of unchanged data writes nothing, one
-- that changes everything costs what closing and inserting every row did before.
SET LOCAL work_mem = '64MB';
CREATE TEMP TABLE run_line ON COMMIT DROP AS
SELECT order_id, order_date, customer_id, product_id, category, channel, country, coalesce(state, '') AS state, quantity, revenue
FROM warehouse.fact_order_line WHERE is_qualifying;

CREATE TEMP TABLE run_mart_daily_category_sales ON COMMIT DROP AS
SELECT order_date, category, sum(revenue) AS revenue, count(*) AS orders, sum(units) AS units
FROM (SELECT order_date, category, order_id, sum(revenue) AS revenue, sum(quantity) AS units FROM run_line GROUP BY 1, 2, 3) o
GROUP BY 1, 2;
UPDATE marts.mart_daily_category_sales m SET version_to = :version
WHERE m.version_to = 9223372036854775807
  AND NOT EXISTS (SELECT 1 FROM run_mart_daily_category_sales n WHERE n.order_date = m.order_date AND n.category = m.category AND (n.revenue, n.orders, n.units) IS NOT DISTINCT FROM (m.revenue, m.orders, m.units));
-- what to add is found before adding it (in run_mart_*_add, here and below): an anti-join against
-- the table being inserted into reads the rows the statement itself adds, quadratic when planned
-- as a nested loop over a mart that was empty at the last ANALYZE (a first build of 10M lines)
CREATE TEMP TABLE run_mart_daily_category_sales_add ON COMMIT DROP AS
SELECT n.order_date, n.category, n.revenue, n.orders, n.units FROM run_mart_daily_category_sales n
WHERE NOT EXISTS (SELECT 1 FROM marts.mart_daily_category_sales m WHERE m.version_to = 9223372036854775807 AND n.order_date = m.order_date AND n.category = m.category AND (n.revenue, n.orders, n.units) IS NOT DISTINCT FROM (m.revenue, m.orders, m.units));
INSERT INTO marts.mart_daily_category_sales (order_date, category, revenue, orders, units, version_from)
SELECT order_date, category, revenue, orders, units, :version FROM run_mart_daily_category_sales_add;

CREATE TEMP TABLE run_mart_customer_daily ON COMMIT DROP AS
SELECT order_date, customer_id, country, state, count(*) AS orders, sum(revenue) AS revenue
FROM (SELECT order_date, customer_id, country, state, order_id, sum(revenue) AS revenue FROM run_line GROUP BY 1, 2, 3, 4, 5) o
GROUP BY 1, 2, 3, 4;
UPDATE marts.mart_customer_daily m SET version_to = :version
WHERE m.version_to = 9223372036854775807
  AND NOT EXISTS (SELECT 1 FROM run_mart_customer_daily n WHERE n.order_date = m.order_date AND n.customer_id = m.customer_id AND n.country = m.country AND n.state = m.state AND (n.orders, n.revenue) IS NOT DISTINCT FROM (m.orders, m.revenue));
CREATE TEMP TABLE run_mart_customer_daily_add ON COMMIT DROP AS
SELECT n.order_date, n.customer_id, n.country, n.state, n.orders, n.revenue FROM run_mart_customer_daily n
WHERE NOT EXISTS (SELECT 1 FROM marts.mart_customer_daily m WHERE m.version_to = 9223372036854775807 AND n.order_date = m.order_date AND n.customer_id = m.customer_id AND n.country = m.country AND n.state = m.state AND (n.orders, n.revenue) IS NOT DISTINCT FROM (m.orders, m.revenue));
INSERT INTO marts.mart_customer_daily (order_date, customer_id, country, state, orders, revenue, version_from)
SELECT order_date, customer_id, country, state, orders, revenue, :version FROM run_mart_customer_daily_add;

CREATE TEMP TABLE run_mart_payment_daily ON COMMIT DROP AS
SELECT paid_date, method, sum(amount) AS amount, count(*) AS payments
FROM warehouse.fact_payment
WHERE status = 'captured'
GROUP BY 1, 2;
UPDATE marts.mart_payment_daily m SET version_to = :version
WHERE m.version_to = 9223372036854775807
  AND NOT EXISTS (SELECT 1 FROM run_mart_payment_daily n WHERE n.paid_date = m.paid_date AND n.method = m.method AND (n.amount, n.payments) IS NOT DISTINCT FROM (m.amount, m.payments));
CREATE TEMP TABLE run_mart_payment_daily_add ON COMMIT DROP AS
SELECT n.paid_date, n.method, n.amount, n.payments FROM run_mart_payment_daily n
WHERE NOT EXISTS (SELECT 1 FROM marts.mart_payment_daily m WHERE m.version_to = 9223372036854775807 AND n.paid_date = m.paid_date AND n.method = m.method AND (n.amount, n.payments) IS NOT DISTINCT FROM (m.amount, m.payments));
INSERT INTO marts.mart_payment_daily (paid_date, method, amount, payments, version_from)
SELECT paid_date, method, amount, payments, :version FROM run_mart_payment_daily_add;

ANALYZE marts.mart_daily_category_sales;
ANALYZE marts.mart_customer_daily;
ANALYZE marts.mart_payment_daily
