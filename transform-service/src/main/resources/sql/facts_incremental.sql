-- Facts of the orders and payments in scope. The new order-line facts are computed first and compared
-- with the old ones on everything the marts read (surrogate keys aside: they are renumbered when a
-- customer or product changes), so only orders whose figures change reach the marts: a product
-- version valid from June re-points that product's facts of every date, but changes the category
-- of the orders from June on only.
-- the orders the new customer and product versions reach: those from the start of the version on
INSERT INTO run_order
SELECT f.order_id FROM warehouse.fact_order_line f JOIN run_customer_since s ON s.customer_id = f.customer_id
WHERE f.order_ts >= s.since
UNION
SELECT f.order_id FROM warehouse.fact_order_line f JOIN run_product_since s ON s.product_id = f.product_id
WHERE f.order_ts >= s.since;
ANALYZE run_order;
CREATE TEMP TABLE run_fact_new ON COMMIT DROP AS
SELECT i.order_id, i.line_number, o.customer_id, i.product_id, coalesce(c.customer_sk, 0) AS customer_sk,
       coalesce(p.product_sk, 0) AS product_sk, coalesce(p.category, 'unknown') AS category,
       coalesce(c.country, 'unknown') AS country, c.state, o.order_ts, o.order_date, o.status, o.channel, i.quantity,
       i.unit_price, i.discount, i.revenue, o.is_qualifying
FROM core.order_line i
JOIN core.order_header o ON o.order_id = i.order_id
LEFT JOIN warehouse.dim_product p
       ON p.product_id = i.product_id AND p.product_sk <> 0 AND o.order_ts >= p.valid_from AND o.order_ts < p.valid_to
LEFT JOIN warehouse.dim_customer c
       ON c.customer_id = o.customer_id AND c.customer_sk <> 0 AND o.order_ts >= c.valid_from AND o.order_ts < c.valid_to
WHERE i.order_id IN (SELECT order_id FROM run_order);
CREATE TEMP TABLE run_fact_old ON COMMIT DROP AS
-- the keys as one array: each month's primary key is searched for them (9 ms for a day's 1,300 orders
-- at 1M lines) where a semi-join planned a scan of every fact (220 ms, and growing with the facts)
SELECT f.* FROM warehouse.fact_order_line f WHERE f.order_id = ANY ((SELECT array_agg(order_id) FROM run_order)::text[]);
-- orders whose lines changed in anything the marts read
CREATE TEMP TABLE run_changed_order ON COMMIT DROP AS
SELECT DISTINCT order_id FROM (
    (SELECT order_id, line_number, customer_id, product_id, category, country, state, order_date, status, channel, quantity, unit_price, discount, revenue, is_qualifying FROM run_fact_old EXCEPT ALL SELECT order_id, line_number, customer_id, product_id, category, country, state, order_date, status, channel, quantity, unit_price, discount, revenue, is_qualifying FROM run_fact_new)
    UNION ALL
    (SELECT order_id, line_number, customer_id, product_id, category, country, state, order_date, status, channel, quantity, unit_price, discount, revenue, is_qualifying FROM run_fact_new EXCEPT ALL SELECT order_id, line_number, customer_id, product_id, category, country, state, order_date, status, channel, quantity, unit_price, discount, revenue, is_qualifying FROM run_fact_old)) changed;
-- their qualifying lines as they were (-1) and as they are (+1): the additive marts apply these
INSERT INTO warehouse.unpublished_fact_delta (run_id, sign, order_id, order_date, customer_id, product_id, category, channel,
                                              country, state, quantity, revenue)
SELECT :run, -1, order_id, order_date, customer_id, product_id, category, channel, country, coalesce(state, ''), quantity, revenue
FROM run_fact_old WHERE is_qualifying AND order_id IN (SELECT order_id FROM run_changed_order)
UNION ALL
SELECT :run, 1, order_id, order_date, customer_id, product_id, category, channel, country, coalesce(state, ''), quantity, revenue
FROM run_fact_new WHERE is_qualifying AND order_id IN (SELECT order_id FROM run_changed_order);
INSERT INTO warehouse.unpublished_change (customer_id)
SELECT DISTINCT customer_id FROM warehouse.unpublished_fact_delta WHERE run_id = :run;
-- only lines that differ in anything (surrogate keys included) are rewritten
DELETE FROM warehouse.fact_order_line f
USING (SELECT order_id, line_number, order_date FROM (SELECT * FROM run_fact_old EXCEPT ALL SELECT * FROM run_fact_new) x) o
WHERE f.order_id = o.order_id AND f.line_number = o.line_number AND f.order_date = o.order_date;
CREATE TEMP TABLE run_fact_insert ON COMMIT DROP AS SELECT * FROM run_fact_new EXCEPT ALL SELECT * FROM run_fact_old;
SELECT warehouse.ensure_month_partitions('fact_order_line', array_agg(DISTINCT date_trunc('month', order_date)::date)) FROM run_fact_insert;
INSERT INTO warehouse.fact_order_line SELECT * FROM run_fact_insert;
-- by key, as above: a join with run_payment was planned as a scan of every payment (50 ms at 1M lines)
WITH gone AS (
    DELETE FROM warehouse.fact_payment f
    WHERE f.payment_id = ANY ((SELECT array_agg(payment_id) FROM run_payment)::text[]) RETURNING f.paid_date
)
INSERT INTO warehouse.unpublished_change (paid_date) SELECT DISTINCT paid_date FROM gone;
SELECT warehouse.ensure_month_partitions('fact_payment', array_agg(DISTINCT date_trunc('month', paid_date)::date))
FROM core.payment WHERE payment_id IN (SELECT payment_id FROM run_payment);
WITH added AS (
    INSERT INTO warehouse.fact_payment (payment_id, order_id, method, amount, status, paid_at, paid_date)
    SELECT payment_id, order_id, method, amount, status, paid_at, paid_date
    FROM core.payment WHERE payment_id IN (SELECT payment_id FROM run_payment)
    RETURNING paid_date
)
INSERT INTO warehouse.unpublished_change (paid_date) SELECT DISTINCT paid_date FROM added
