-- The dbt-style full refresh baseline of bench/transform.sh: the tables a full build produces (both
-- SCD2 dimensions, the facts with the same as-of joins, all nine marts with the same grains and
-- columns), each one CREATE TABLE ... AS SELECT from the same core views over staging, as dbt's
-- "table" materialization does, with no versioning, no incremental bookkeeping, no indexes and no
-- audit. Schema baseline, dropped and made again on every run.
DROP SCHEMA IF EXISTS baseline CASCADE;
CREATE SCHEMA baseline;

CREATE TABLE baseline.dim_customer AS
SELECT 0::bigint AS customer_sk, 'unknown'::text AS customer_id, NULL::text AS email, NULL::text AS first_name,
       NULL::text AS last_name, NULL::text AS city, NULL::text AS state, 'unknown'::text AS country,
       NULL::timestamptz AS signup_at, NULL::timestamptz AS updated_at, '-infinity'::timestamptz AS valid_from,
       'infinity'::timestamptz AS valid_to, true AS is_current
UNION ALL
SELECT row_number() OVER (ORDER BY customer_id, updated_at), customer_id, email, first_name, last_name, city, state, country,
       signup_at, updated_at, valid_from, valid_to, valid_to = 'infinity'
FROM core.customer_version;

CREATE TABLE baseline.dim_product AS
SELECT 0::bigint AS product_sk, 'unknown'::text AS product_id, NULL::text AS name, 'unknown'::text AS category,
       NULL::numeric AS unit_price, NULL::numeric AS unit_cost, NULL::timestamptz AS updated_at,
       '-infinity'::timestamptz AS valid_from, 'infinity'::timestamptz AS valid_to, true AS is_current
UNION ALL
SELECT row_number() OVER (ORDER BY product_id, updated_at), product_id, name, category, unit_price, unit_cost, updated_at,
       valid_from, valid_to, valid_to = 'infinity'
FROM core.product_version;

CREATE TABLE baseline.fact_order_line AS
SELECT i.order_id, i.line_number, o.customer_id, i.product_id, coalesce(c.customer_sk, 0) AS customer_sk,
       coalesce(p.product_sk, 0) AS product_sk, coalesce(p.category, 'unknown') AS category,
       coalesce(c.country, 'unknown') AS country, c.state, o.order_ts, o.order_date, o.status, o.channel, i.quantity,
       i.unit_price, i.discount, i.revenue, o.is_qualifying
FROM core.order_line i
JOIN core.order_header o ON o.order_id = i.order_id
LEFT JOIN baseline.dim_product p
       ON p.product_id = i.product_id AND p.product_sk <> 0 AND o.order_ts >= p.valid_from AND o.order_ts < p.valid_to
LEFT JOIN baseline.dim_customer c
       ON c.customer_id = o.customer_id AND c.customer_sk <> 0 AND o.order_ts >= c.valid_from AND o.order_ts < c.valid_to;

CREATE TABLE baseline.fact_payment AS
SELECT payment_id, order_id, method, amount, status, paid_at, paid_date FROM core.payment;

-- the marts: the same grains and columns as marts/*, orders counted per order first
CREATE TABLE baseline.mart_daily_sales AS
SELECT order_date, sum(revenue) AS revenue, count(*) AS orders, sum(units) AS units
FROM (SELECT order_date, order_id, sum(revenue) AS revenue, sum(quantity) AS units
      FROM baseline.fact_order_line WHERE is_qualifying GROUP BY 1, 2) o
GROUP BY order_date;

CREATE TABLE baseline.mart_daily_category_sales AS
SELECT order_date, category, sum(revenue) AS revenue, count(*) AS orders, sum(units) AS units
FROM (SELECT order_date, category, order_id, sum(revenue) AS revenue, sum(quantity) AS units
      FROM baseline.fact_order_line WHERE is_qualifying GROUP BY 1, 2, 3) o
GROUP BY 1, 2;

CREATE TABLE baseline.mart_daily_channel_sales AS
SELECT order_date, channel, sum(revenue) AS revenue, count(*) AS orders, sum(units) AS units
FROM (SELECT order_date, channel, order_id, sum(revenue) AS revenue, sum(quantity) AS units
      FROM baseline.fact_order_line WHERE is_qualifying GROUP BY 1, 2, 3) o
GROUP BY 1, 2;

CREATE TABLE baseline.mart_product_daily AS
SELECT order_date, product_id, sum(revenue) AS revenue, sum(units) AS units, count(*) AS orders
FROM (SELECT order_date, product_id, order_id, sum(revenue) AS revenue, sum(quantity) AS units
      FROM baseline.fact_order_line WHERE is_qualifying GROUP BY 1, 2, 3) o
GROUP BY 1, 2;

CREATE TABLE baseline.mart_customer_daily AS
SELECT order_date, customer_id, country, state, count(*) AS orders, sum(revenue) AS revenue
FROM (SELECT order_date, customer_id, country, coalesce(state, '') AS state, order_id, sum(revenue) AS revenue
      FROM baseline.fact_order_line WHERE is_qualifying GROUP BY 1, 2, 3, 4, 5) o
GROUP BY 1, 2, 3, 4;

CREATE TABLE baseline.mart_payment_daily AS
SELECT paid_date, method, sum(amount) AS amount, count(*) AS payments
FROM baseline.fact_payment WHERE status = 'captured' GROUP BY 1, 2;

CREATE TABLE baseline.mart_customer AS
SELECT o.customer_id, f.first_date AS first_order_date, max(o.order_date) AS last_order_date, count(*) AS orders,
       sum(o.revenue) AS ltv, sum(o.revenue) FILTER (WHERE o.order_date <= f.first_date + 30) AS ltv_30d,
       array_agg(DISTINCT date_trunc('month', o.order_date)::date) AS active_months
FROM (SELECT customer_id, order_id, order_date, sum(revenue) AS revenue
      FROM baseline.fact_order_line WHERE is_qualifying GROUP BY 1, 2, 3) o
JOIN (SELECT customer_id, min(order_date) AS first_date FROM baseline.fact_order_line WHERE is_qualifying GROUP BY 1) f
  ON f.customer_id = o.customer_id
GROUP BY o.customer_id, f.first_date;

CREATE TABLE baseline.mart_cohort AS
SELECT date_trunc('month', first_order_date)::date AS cohort_month,
       ((extract(year FROM m) - extract(year FROM first_order_date)) * 12
        + extract(month FROM m) - extract(month FROM first_order_date))::integer AS month_offset,
       count(*)::integer AS customers
FROM baseline.mart_customer c, unnest(c.active_months) AS m
GROUP BY 1, 2;

CREATE TABLE baseline.mart_product AS
SELECT product_id, name, category FROM baseline.dim_product WHERE is_current AND product_sk <> 0;
