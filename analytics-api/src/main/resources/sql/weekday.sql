-- Parameters: version, from, to. ISO day of week: 1 Monday .. 7 Sunday; every day appears.
SELECT d.day_of_week, coalesce(s.revenue, 0) AS revenue, coalesce(s.orders, 0) AS orders
FROM generate_series(1, 7) AS d(day_of_week)
LEFT JOIN (SELECT extract(isodow FROM order_date)::integer AS day_of_week, sum(revenue) AS revenue, sum(orders) AS orders
           FROM marts.mart_daily_sales
           WHERE version_from <= :version AND version_to > :version AND order_date BETWEEN :from AND :to
           GROUP BY 1) s USING (day_of_week)
ORDER BY d.day_of_week
