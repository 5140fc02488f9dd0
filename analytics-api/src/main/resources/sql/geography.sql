-- Parameters: version, from, to, level (country, state). The customer's address as of each order.
SELECT country, CASE WHEN :level = 'state' THEN nullif(state, '') END AS state, sum(revenue) AS revenue,
       sum(orders) AS orders, count(DISTINCT customer_id) AS customers
FROM marts.mart_customer_daily
WHERE version_from <= :version AND version_to > :version AND order_date BETWEEN :from AND :to
GROUP BY 1, 2
ORDER BY revenue DESC, country, state
