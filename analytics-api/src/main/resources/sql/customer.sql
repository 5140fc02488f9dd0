-- Parameters: version, customer_id.
SELECT customer_id, ltv, ltv_30d, orders, first_order_date, last_order_date
FROM marts.mart_customer
WHERE version_from <= :version AND version_to > :version AND customer_id = :customer_id
