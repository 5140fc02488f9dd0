-- Orders and revenue per day, customer and address, by day.
SELECT order_date, customer_id, country, state, orders, revenue FROM marts.mart_customer_daily WHERE version_from <= :version AND version_to > :version ORDER BY order_date
