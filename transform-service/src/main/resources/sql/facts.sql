-- Facts of the orders and payments in scope: the old rows go, the new ones are resolved against the
-- dimension versions valid at order_ts, and the dates and customers of both are noted for the marts.
WITH gone AS (
    DELETE FROM warehouse.fact_order_line f USING run_order r WHERE f.order_id = r.order_id
    RETURNING f.order_date, f.customer_id
)
INSERT INTO warehouse.unpublished_change (order_date, customer_id) SELECT DISTINCT order_date, customer_id FROM gone;
SELECT warehouse.ensure_month_partitions('fact_order_line', min(order_date), max(order_date))
FROM core.order_header WHERE order_id IN (SELECT order_id FROM run_order);
WITH added AS (
    INSERT INTO warehouse.fact_order_line (order_id, line_number, customer_id, product_id, customer_sk, product_sk, category,
                                           country, state, order_ts, order_date, status, channel, quantity, unit_price,
                                           discount, revenue, is_qualifying)
    SELECT i.order_id, i.line_number, o.customer_id, i.product_id, coalesce(c.customer_sk, 0), coalesce(p.product_sk, 0),
           coalesce(p.category, 'unknown'), coalesce(c.country, 'unknown'), c.state, o.order_ts, o.order_date, o.status,
           o.channel, i.quantity, i.unit_price, i.discount, i.revenue, o.is_qualifying
    FROM core.order_line i
    JOIN core.order_header o ON o.order_id = i.order_id
    LEFT JOIN warehouse.dim_product p
           ON p.product_id = i.product_id AND p.product_sk <> 0 AND o.order_ts >= p.valid_from AND o.order_ts < p.valid_to
    LEFT JOIN warehouse.dim_customer c
           ON c.customer_id = o.customer_id AND c.customer_sk <> 0 AND o.order_ts >= c.valid_from AND o.order_ts < c.valid_to
    WHERE i.order_id IN (SELECT order_id FROM run_order)
    RETURNING order_date, customer_id
)
INSERT INTO warehouse.unpublished_change (order_date, customer_id) SELECT DISTINCT order_date, customer_id FROM added;
WITH gone AS (
    DELETE FROM warehouse.fact_payment f USING run_payment r WHERE f.payment_id = r.payment_id RETURNING f.paid_date
)
INSERT INTO warehouse.unpublished_change (paid_date) SELECT DISTINCT paid_date FROM gone;
SELECT warehouse.ensure_month_partitions('fact_payment', min(paid_date), max(paid_date))
FROM core.payment WHERE payment_id IN (SELECT payment_id FROM run_payment);
WITH added AS (
    INSERT INTO warehouse.fact_payment (payment_id, order_id, method, amount, status, paid_at, paid_date)
    SELECT payment_id, order_id, method, amount, status, paid_at, paid_date
    FROM core.payment WHERE payment_id IN (SELECT payment_id FROM run_payment)
    RETURNING paid_date
)
INSERT INTO warehouse.unpublished_change (paid_date) SELECT DISTINCT paid_date FROM added
