-- Parameters: version, from, to. Category of each line as of its order (SCD2).
SELECT category, sum(revenue) AS revenue, sum(orders) AS orders, sum(units) AS units
FROM marts.mart_daily_category_sales
WHERE version_from <= :version AND version_to > :version AND order_date BETWEEN :from AND :to
GROUP BY category
ORDER BY revenue DESC, category
