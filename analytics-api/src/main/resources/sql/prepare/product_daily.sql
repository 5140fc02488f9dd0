-- Per product (in the database's order of product ids) its days, revenue and units.
SELECT product_id, order_date, revenue, units FROM marts.mart_product_daily WHERE version_from <= :version AND version_to > :version ORDER BY product_id, order_date
