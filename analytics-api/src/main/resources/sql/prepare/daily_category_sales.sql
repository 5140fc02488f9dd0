-- Daily sales per category, in the database's order of categories (ties of equal revenue keep it).
SELECT category AS key, order_date AS day, revenue, orders, units FROM marts.mart_daily_category_sales WHERE version_from <= :version AND version_to > :version
ORDER BY category, order_date
