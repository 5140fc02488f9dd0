-- Parameters: version, from, to. Channel of each order (orders carry it; no SCD2 involved).
SELECT channel, sum(revenue) AS revenue, sum(orders) AS orders, sum(units) AS units
FROM marts.mart_daily_channel_sales
WHERE version_from <= :version AND version_to > :version AND order_date BETWEEN :from AND :to
GROUP BY channel
ORDER BY revenue DESC, channel
