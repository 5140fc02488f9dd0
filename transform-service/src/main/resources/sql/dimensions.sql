-- SCD type 2 dimensions of the changed customers and products, from every version core keeps.
-- Their old rows go; new surrogate keys come from a sequence (facts of these customers and
-- products are re-resolved in the same run). Key 0 is the unknown member.
DELETE FROM warehouse.dim_customer WHERE customer_id IN (SELECT customer_id FROM run_customer_changed);
INSERT INTO warehouse.dim_customer VALUES (0, 'unknown', NULL, NULL, NULL, NULL, NULL, 'unknown', NULL, '-infinity', 'infinity', true)
ON CONFLICT DO NOTHING;
INSERT INTO warehouse.dim_customer (customer_sk, customer_id, email, first_name, last_name, city, state, country, signup_at,
                                    valid_from, valid_to, is_current)
SELECT nextval('warehouse.dim_customer_sk_seq'), customer_id, email, first_name, last_name, city, state, country, signup_at,
       valid_from, valid_to, valid_to = 'infinity'
FROM core.customer_version
WHERE customer_id IN (SELECT customer_id FROM run_customer_changed);
DELETE FROM warehouse.dim_product WHERE product_id IN (SELECT product_id FROM run_product_changed);
INSERT INTO warehouse.dim_product VALUES (0, 'unknown', NULL, 'unknown', NULL, NULL, '-infinity', 'infinity', true)
ON CONFLICT DO NOTHING;
INSERT INTO warehouse.dim_product (product_sk, product_id, name, category, unit_price, unit_cost, valid_from, valid_to, is_current)
SELECT nextval('warehouse.dim_product_sk_seq'), product_id, name, category, unit_price, unit_cost,
       valid_from, valid_to, valid_to = 'infinity'
FROM core.product_version
WHERE product_id IN (SELECT product_id FROM run_product_changed);
INSERT INTO warehouse.unpublished_change (product_id) SELECT product_id FROM run_product_changed
