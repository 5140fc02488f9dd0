-- Rebuild the order-line fact from staging (lines whose order has not arrived wait). Customer and
-- product resolve to the dimension version valid at the order's order_ts (SCD type 2), or to the
-- unknown member 0; the category is that version's.
TRUNCATE warehouse.fact_order_line;
INSERT INTO warehouse.fact_order_line (order_id, line_number, customer_id, product_id, category, order_ts, order_date,
                                       status, channel, quantity, unit_price, discount, revenue, is_qualifying,
                                       customer_sk, product_sk)
SELECT i.order_id, i.line_number, o.customer_id, i.product_id, coalesce(p.category, 'unknown'), o.order_ts,
       (o.order_ts AT TIME ZONE 'UTC')::date, o.status, o.channel, i.quantity, i.unit_price, i.discount,
       i.quantity * i.unit_price - i.discount, o.status IN ('paid', 'shipped', 'delivered'),
       coalesce(c.customer_sk, 0), coalesce(p.product_sk, 0)
FROM staging.order_items i
JOIN staging.orders o ON o.order_id = i.order_id
LEFT JOIN warehouse.dim_product p
       ON p.product_id = i.product_id AND p.product_sk <> 0 AND o.order_ts >= p.valid_from AND o.order_ts < p.valid_to
LEFT JOIN warehouse.dim_customer c
       ON c.customer_id = o.customer_id AND c.customer_sk <> 0 AND o.order_ts >= c.valid_from AND o.order_ts < c.valid_to;
