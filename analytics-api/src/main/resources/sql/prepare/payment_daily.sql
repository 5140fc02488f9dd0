-- Captured payments per day and method, in the database's order of methods (units: none).
SELECT method AS key, paid_date AS day, amount AS revenue, payments AS orders, 0 AS units FROM marts.mart_payment_daily
WHERE version_from <= :version AND version_to > :version ORDER BY method, paid_date
