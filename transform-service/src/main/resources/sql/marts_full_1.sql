-- Version :version of the marts in a full build, first half: daily sales, channels and product-day.
-- marts_full_2.sql writes the other half at the same time on a second connection, each half in its
-- own transaction (the version is unpublished until the audit passes, and a run that dies between
-- the halves leaves an unsettled version the next run discards). Each connection makes its own
-- run_line (0.35 s at 1M lines, paid twice, but in parallel).
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

CREATE TEMP TABLE run_mart_daily_sales ON COMMIT DROP AS
SELECT order_date, sum(revenue) AS revenue, count(*) AS orders, sum(units) AS units
FROM (SELECT order_date, order_id, sum(revenue) AS revenue, sum(quantity) AS units FROM run_line GROUP BY 1, 2) o
GROUP BY order_date;
UPDATE marts.mart_daily_sales m SET version_to = :version
WHERE m.version_to = 9223372036854775807
  AND NOT EXISTS (SELECT 1 FROM run_mart_daily_sales n WHERE n.order_date = m.order_date AND (n.revenue, n.orders, n.units) IS NOT DISTINCT FROM (m.revenue, m.orders, m.units));
-- what to add is found before adding it (in run_mart_*_add, here and below): an anti-join against
-- the table being inserted into reads the rows the statement itself adds, quadratic when planned
-- as a nested loop over a mart that was empty at the last ANALYZE (a first build of 10M lines)
CREATE TEMP TABLE run_mart_daily_sales_add ON COMMIT DROP AS
SELECT n.order_date, n.revenue, n.orders, n.units FROM run_mart_daily_sales n
WHERE NOT EXISTS (SELECT 1 FROM marts.mart_daily_sales m WHERE m.version_to = 9223372036854775807 AND n.order_date = m.order_date AND (n.revenue, n.orders, n.units) IS NOT DISTINCT FROM (m.revenue, m.orders, m.units));
INSERT INTO marts.mart_daily_sales (order_date, revenue, orders, units, version_from)
SELECT order_date, revenue, orders, units, :version FROM run_mart_daily_sales_add;

CREATE TEMP TABLE run_mart_daily_channel_sales ON COMMIT DROP AS
SELECT order_date, channel, sum(revenue) AS revenue, count(*) AS orders, sum(units) AS units
FROM (SELECT order_date, channel, order_id, sum(revenue) AS revenue, sum(quantity) AS units FROM run_line GROUP BY 1, 2, 3) o
GROUP BY 1, 2;
UPDATE marts.mart_daily_channel_sales m SET version_to = :version
WHERE m.version_to = 9223372036854775807
  AND NOT EXISTS (SELECT 1 FROM run_mart_daily_channel_sales n WHERE n.order_date = m.order_date AND n.channel = m.channel AND (n.revenue, n.orders, n.units) IS NOT DISTINCT FROM (m.revenue, m.orders, m.units));
CREATE TEMP TABLE run_mart_daily_channel_sales_add ON COMMIT DROP AS
SELECT n.order_date, n.channel, n.revenue, n.orders, n.units FROM run_mart_daily_channel_sales n
WHERE NOT EXISTS (SELECT 1 FROM marts.mart_daily_channel_sales m WHERE m.version_to = 9223372036854775807 AND n.order_date = m.order_date AND n.channel = m.channel AND (n.revenue, n.orders, n.units) IS NOT DISTINCT FROM (m.revenue, m.orders, m.units));
INSERT INTO marts.mart_daily_channel_sales (order_date, channel, revenue, orders, units, version_from)
SELECT order_date, channel, revenue, orders, units, :version FROM run_mart_daily_channel_sales_add;

-- sorted rather than hashed: the inner grouping's order serves the outer one (1.0 s against 1.6 s
-- at 1M lines, whose 630,000 order-product groups overflow a hash table)
SET LOCAL enable_hashagg = off;
CREATE TEMP TABLE run_mart_product_daily ON COMMIT DROP AS
SELECT order_date, product_id, sum(revenue) AS revenue, sum(units) AS units, count(*) AS orders
FROM (SELECT order_date, product_id, order_id, sum(revenue) AS revenue, sum(quantity) AS units FROM run_line GROUP BY 1, 2, 3) o
GROUP BY 1, 2;
SET LOCAL enable_hashagg = on;
UPDATE marts.mart_product_daily m SET version_to = :version
WHERE m.version_to = 9223372036854775807
  AND NOT EXISTS (SELECT 1 FROM run_mart_product_daily n WHERE n.order_date = m.order_date AND n.product_id = m.product_id AND (n.revenue, n.units, n.orders) IS NOT DISTINCT FROM (m.revenue, m.units, m.orders));
CREATE TEMP TABLE run_mart_product_daily_add ON COMMIT DROP AS
SELECT n.order_date, n.product_id, n.revenue, n.units, n.orders FROM run_mart_product_daily n
WHERE NOT EXISTS (SELECT 1 FROM marts.mart_product_daily m WHERE m.version_to = 9223372036854775807 AND n.order_date = m.order_date AND n.product_id = m.product_id AND (n.revenue, n.units, n.orders) IS NOT DISTINCT FROM (m.revenue, m.units, m.orders));
INSERT INTO marts.mart_product_daily (order_date, product_id, revenue, units, orders, version_from)
SELECT order_date, product_id, revenue, units, orders, :version FROM run_mart_product_daily_add;

ANALYZE marts.mart_daily_sales;
ANALYZE marts.mart_daily_channel_sales;
ANALYZE marts.mart_product_daily
