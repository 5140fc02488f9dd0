-- Parameters: version, from, to, by (revenue, units), limit. Names and categories are the current ones.
SELECT d.product_id, p.name, coalesce(p.category, 'unknown') AS category, sum(d.revenue) AS revenue, sum(d.units) AS units
FROM marts.mart_product_daily d
LEFT JOIN marts.mart_product p ON p.product_id = d.product_id AND p.version_from <= :version AND p.version_to > :version
WHERE d.version_from <= :version AND d.version_to > :version AND d.order_date BETWEEN :from AND :to
GROUP BY d.product_id, p.name, p.category
ORDER BY CASE WHEN :by = 'units' THEN sum(d.units) ELSE sum(d.revenue) END DESC, d.product_id
LIMIT :limit
