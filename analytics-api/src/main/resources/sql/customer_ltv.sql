-- Parameters: version, order (desc, asc), limit, offset. total: the customers of the version.
SELECT customer_id, ltv, ltv_30d, orders, first_order_date, last_order_date, count(*) OVER () AS total
FROM marts.mart_customer
WHERE version_from <= :version AND version_to > :version
ORDER BY CASE WHEN :order = 'asc' THEN ltv END ASC, CASE WHEN :order = 'desc' THEN ltv END DESC, customer_id
LIMIT :limit OFFSET :offset
