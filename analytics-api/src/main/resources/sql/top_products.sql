-- Parameters: version, from, to, by (revenue, units), limit, offset. Names and categories are the current ones.
-- total: the products of the range (the window runs before LIMIT/OFFSET).
SELECT d.product_id, p.name, coalesce(p.category, 'unknown') AS category, sum(d.revenue) AS revenue, sum(d.units) AS units,
       count(*) OVER () AS total
FROM marts.mart_product_daily d
LEFT JOIN marts.mart_product p ON p.product_id = d.product_id AND p.version_from <= :version AND p.version_to > :version
WHERE d.version_from <= :version AND d.version_to > :version AND d.order_date BETWEEN :from AND :to
GROUP BY d.product_id, p.name, p.category
ORDER BY CASE WHEN :by = 'units' THEN sum(d.units) ELSE sum(d.revenue) END DESC, d.product_id
LIMIT :limit OFFSET :offset
