-- Daily sales per channel, in the database's order of channels.
SELECT channel AS key, order_date AS day, revenue, orders, units FROM marts.mart_daily_channel_sales WHERE version_from <= :version AND version_to > :version
ORDER BY channel, order_date
