-- Every (country, state) of the version in the order geography.sql breaks revenue ties by.
SELECT country, nullif(state, '') AS state FROM marts.mart_customer_daily WHERE version_from <= :version AND version_to > :version GROUP BY 1, 2 ORDER BY 1, 2
