-- Lifetime figures per customer, in the database's order of customer ids (ties of equal ltv keep it).
SELECT customer_id, first_order_date, last_order_date, orders, ltv, ltv_30d FROM marts.mart_customer WHERE version_from <= :version AND version_to > :version
ORDER BY customer_id
