-- Current name and category of every product.
SELECT product_id, name, category FROM marts.mart_product WHERE version_from <= :version AND version_to > :version
