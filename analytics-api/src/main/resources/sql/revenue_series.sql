-- Parameters: granularity (day, week, month), version, from, to, category (null for all).
-- Every period of the range appears, with zeros where nothing qualified; weeks start on Monday.
-- Without a category the totals come from mart_daily_sales (an order with lines in two categories
-- counts once), with one from mart_daily_category_sales.
WITH periods AS (
    SELECT generate_series(date_trunc(:granularity, :from::date), :to::date, ('1 ' || :granularity)::interval)::date AS period
), sales AS (
    SELECT date_trunc(:granularity, order_date)::date AS period, sum(revenue) AS revenue, sum(orders) AS orders,
           sum(units) AS units
    FROM marts.mart_daily_sales
    WHERE version_from <= :version AND version_to > :version AND order_date BETWEEN :from AND :to
      AND :category::text IS NULL
    GROUP BY 1
    UNION ALL
    SELECT date_trunc(:granularity, order_date)::date, sum(revenue), sum(orders), sum(units)
    FROM marts.mart_daily_category_sales
    WHERE version_from <= :version AND version_to > :version AND order_date BETWEEN :from AND :to
      AND category = :category
    GROUP BY 1
)
SELECT p.period, coalesce(s.revenue, 0) AS revenue, coalesce(s.orders, 0) AS orders, coalesce(s.units, 0) AS units
FROM periods p LEFT JOIN sales s USING (period) ORDER BY p.period
