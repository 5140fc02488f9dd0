-- One statement so the figures come from one snapshot. Parameters: version, from, to.
WITH sales AS (
    SELECT coalesce(sum(revenue), 0) AS revenue, coalesce(sum(orders), 0) AS orders, coalesce(sum(units), 0) AS units
    FROM marts.mart_daily_sales
    WHERE version_from <= :version AND version_to > :version AND order_date BETWEEN :from AND :to
), buyers AS (
    SELECT count(*) AS customers, count(*) FILTER (WHERE orders >= 2) AS repeat_customers
    FROM (SELECT customer_id, sum(orders) AS orders FROM marts.mart_customer_daily
          WHERE version_from <= :version AND version_to > :version AND order_date BETWEEN :from AND :to
          GROUP BY customer_id) c
), newcomers AS (
    SELECT count(*) AS new_customers FROM marts.mart_customer
    WHERE version_from <= :version AND version_to > :version AND first_order_date BETWEEN :from AND :to
)
SELECT s.revenue, s.orders, s.units, b.customers, n.new_customers, b.repeat_customers
FROM sales s, buyers b, newcomers n
