-- Version :version of the additive marts, by delta: every order whose facts changed since the last
-- published version left its old qualifying lines (-1) and its new ones (+1) in
-- unpublished_fact_delta. Per mart key the delta is summed (an order counts once per key it has a
-- line in, with the sign of its image), the current row is closed and replaced by the old figures
-- plus the delta (or dropped when no order is left). The cost follows the orders that changed, not
-- the dates they are on. Payments are recomputed per changed payment date.
CREATE TEMP TABLE run_delta_order ON COMMIT DROP AS
SELECT run_id, sign, order_id, order_date, customer_id, channel, country, state, sum(revenue) AS revenue, sum(quantity) AS units
FROM warehouse.unpublished_fact_delta GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

CREATE TEMP TABLE run_delta_daily ON COMMIT DROP AS
SELECT order_date, sum(sign * revenue) AS revenue, sum(sign)::integer AS orders, sum(sign * units) AS units
FROM run_delta_order GROUP BY 1
HAVING sum(sign * revenue) <> 0 OR sum(sign) <> 0 OR sum(sign * units) <> 0;
UPDATE marts.mart_daily_sales m SET version_to = :version FROM run_delta_daily d
WHERE m.version_to = 9223372036854775807 AND m.order_date = d.order_date;
INSERT INTO marts.mart_daily_sales (order_date, revenue, orders, units, version_from)
SELECT d.order_date, coalesce(m.revenue, 0) + d.revenue, coalesce(m.orders, 0) + d.orders, coalesce(m.units, 0) + d.units, :version
FROM run_delta_daily d
LEFT JOIN marts.mart_daily_sales m ON m.order_date = d.order_date AND m.version_to = :version
WHERE coalesce(m.orders, 0) + d.orders <> 0;

CREATE TEMP TABLE run_delta_channel ON COMMIT DROP AS
SELECT order_date, channel, sum(sign * revenue) AS revenue, sum(sign)::integer AS orders, sum(sign * units) AS units
FROM run_delta_order GROUP BY 1, 2
HAVING sum(sign * revenue) <> 0 OR sum(sign) <> 0 OR sum(sign * units) <> 0;
UPDATE marts.mart_daily_channel_sales m SET version_to = :version FROM run_delta_channel d
WHERE m.version_to = 9223372036854775807 AND m.order_date = d.order_date AND m.channel = d.channel;
INSERT INTO marts.mart_daily_channel_sales (order_date, channel, revenue, orders, units, version_from)
SELECT d.order_date, d.channel, coalesce(m.revenue, 0) + d.revenue, coalesce(m.orders, 0) + d.orders,
       coalesce(m.units, 0) + d.units, :version
FROM run_delta_channel d
LEFT JOIN marts.mart_daily_channel_sales m
       ON m.order_date = d.order_date AND m.channel = d.channel AND m.version_to = :version
WHERE coalesce(m.orders, 0) + d.orders <> 0;

CREATE TEMP TABLE run_delta_customer ON COMMIT DROP AS
SELECT order_date, customer_id, country, state, sum(sign * revenue) AS revenue, sum(sign)::integer AS orders
FROM run_delta_order GROUP BY 1, 2, 3, 4
HAVING sum(sign * revenue) <> 0 OR sum(sign) <> 0;
UPDATE marts.mart_customer_daily m SET version_to = :version FROM run_delta_customer d
WHERE m.version_to = 9223372036854775807 AND m.order_date = d.order_date AND m.customer_id = d.customer_id
  AND m.country = d.country AND m.state = d.state;
INSERT INTO marts.mart_customer_daily (order_date, customer_id, country, state, orders, revenue, version_from)
SELECT d.order_date, d.customer_id, d.country, d.state, coalesce(m.orders, 0) + d.orders, coalesce(m.revenue, 0) + d.revenue,
       :version
FROM run_delta_customer d
LEFT JOIN marts.mart_customer_daily m ON m.order_date = d.order_date AND m.customer_id = d.customer_id
      AND m.country = d.country AND m.state = d.state AND m.version_to = :version
WHERE coalesce(m.orders, 0) + d.orders <> 0;

-- per category and per product an order counts once however many lines it has there
CREATE TEMP TABLE run_delta_category ON COMMIT DROP AS
SELECT order_date, category, sum(sign * revenue) AS revenue, sum(sign)::integer AS orders, sum(sign * units) AS units
FROM (SELECT run_id, sign, order_id, order_date, category, sum(revenue) AS revenue, sum(quantity) AS units
      FROM warehouse.unpublished_fact_delta GROUP BY 1, 2, 3, 4, 5) o
GROUP BY 1, 2
HAVING sum(sign * revenue) <> 0 OR sum(sign) <> 0 OR sum(sign * units) <> 0;
UPDATE marts.mart_daily_category_sales m SET version_to = :version FROM run_delta_category d
WHERE m.version_to = 9223372036854775807 AND m.order_date = d.order_date AND m.category = d.category;
INSERT INTO marts.mart_daily_category_sales (order_date, category, revenue, orders, units, version_from)
SELECT d.order_date, d.category, coalesce(m.revenue, 0) + d.revenue, coalesce(m.orders, 0) + d.orders,
       coalesce(m.units, 0) + d.units, :version
FROM run_delta_category d
LEFT JOIN marts.mart_daily_category_sales m
       ON m.order_date = d.order_date AND m.category = d.category AND m.version_to = :version
WHERE coalesce(m.orders, 0) + d.orders <> 0;

CREATE TEMP TABLE run_delta_product ON COMMIT DROP AS
SELECT order_date, product_id, sum(sign * revenue) AS revenue, sum(sign)::integer AS orders, sum(sign * units) AS units
FROM (SELECT run_id, sign, order_id, order_date, product_id, sum(revenue) AS revenue, sum(quantity) AS units
      FROM warehouse.unpublished_fact_delta GROUP BY 1, 2, 3, 4, 5) o
GROUP BY 1, 2
HAVING sum(sign * revenue) <> 0 OR sum(sign) <> 0 OR sum(sign * units) <> 0;
UPDATE marts.mart_product_daily m SET version_to = :version FROM run_delta_product d
WHERE m.version_to = 9223372036854775807 AND m.order_date = d.order_date AND m.product_id = d.product_id;
INSERT INTO marts.mart_product_daily (order_date, product_id, revenue, units, orders, version_from)
SELECT d.order_date, d.product_id, coalesce(m.revenue, 0) + d.revenue, coalesce(m.units, 0) + d.units,
       coalesce(m.orders, 0) + d.orders, :version
FROM run_delta_product d
LEFT JOIN marts.mart_product_daily m ON m.order_date = d.order_date AND m.product_id = d.product_id AND m.version_to = :version
WHERE coalesce(m.orders, 0) + d.orders <> 0;

CREATE TEMP TABLE run_paid_date ON COMMIT DROP AS
SELECT DISTINCT paid_date FROM warehouse.unpublished_change WHERE paid_date IS NOT NULL;
UPDATE marts.mart_payment_daily SET version_to = :version
WHERE version_to = 9223372036854775807 AND paid_date IN (SELECT paid_date FROM run_paid_date);
INSERT INTO marts.mart_payment_daily (paid_date, method, amount, payments, version_from)
SELECT paid_date, method, sum(amount), count(*), :version
FROM warehouse.fact_payment
WHERE status = 'captured' AND paid_date = ANY ((SELECT array_agg(paid_date) FROM run_paid_date)::date[])
GROUP BY 1, 2
