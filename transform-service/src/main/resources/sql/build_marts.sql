-- Every statement takes the new mart version as its only parameter.
INSERT INTO marts.mart_daily_sales (version, order_date, revenue, orders, units)
SELECT ?, order_date, sum(revenue), count(DISTINCT order_id), sum(quantity)
FROM warehouse.fact_order_line WHERE is_qualifying GROUP BY order_date;
INSERT INTO marts.mart_daily_category_sales (version, order_date, category, revenue, orders, units)
SELECT ?, order_date, category, sum(revenue), count(DISTINCT order_id), sum(quantity)
FROM warehouse.fact_order_line WHERE is_qualifying GROUP BY order_date, category;
INSERT INTO marts.mart_customer_daily (version, customer_id, order_date, orders, revenue)
SELECT ?, customer_id, order_date, count(DISTINCT order_id), sum(revenue)
FROM warehouse.fact_order_line WHERE is_qualifying GROUP BY customer_id, order_date;
INSERT INTO marts.mart_customer_first_order (version, customer_id, first_order_date)
SELECT ?, customer_id, min(order_date)
FROM warehouse.fact_order_line WHERE is_qualifying GROUP BY customer_id;
