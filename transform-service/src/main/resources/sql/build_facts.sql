-- Thin slice: rebuild the order-line fact from staging (lines whose order has not arrived wait).
TRUNCATE warehouse.fact_order_line;
INSERT INTO warehouse.fact_order_line (order_id, line_number, customer_id, product_id, category, order_ts, order_date,
                                       status, channel, quantity, unit_price, discount, revenue, is_qualifying)
SELECT i.order_id, i.line_number, o.customer_id, i.product_id, coalesce(p.category, 'unknown'), o.order_ts,
       (o.order_ts AT TIME ZONE 'UTC')::date, o.status, o.channel, i.quantity, i.unit_price, i.discount,
       i.quantity * i.unit_price - i.discount, o.status IN ('paid', 'shipped', 'delivered')
FROM staging.order_items i
JOIN staging.orders o ON o.order_id = i.order_id
LEFT JOIN staging.products p ON p.product_id = i.product_id;
