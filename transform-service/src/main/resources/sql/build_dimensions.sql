-- Full rebuild of the SCD type 2 dimensions from every version ingestion kept
-- (staging.customer_versions / product_versions). Surrogate keys are numbered in (id, version)
-- order, so the same versions always get the same keys.
TRUNCATE warehouse.dim_customer;
INSERT INTO warehouse.dim_customer VALUES (0, 'unknown', NULL, NULL, NULL, NULL, NULL, NULL, NULL, '-infinity', 'infinity', true);
INSERT INTO warehouse.dim_customer (customer_sk, customer_id, email, first_name, last_name, city, state, country, signup_at,
                                    valid_from, valid_to, is_current)
SELECT row_number() OVER (ORDER BY customer_id, updated_at), customer_id, email, first_name, last_name, city, state, country,
       signup_at,
       CASE WHEN lag(updated_at) OVER w IS NULL THEN '-infinity'::timestamptz ELSE updated_at END,
       coalesce(lead(updated_at) OVER w, 'infinity'::timestamptz),
       lead(updated_at) OVER w IS NULL
FROM staging.customer_versions
WINDOW w AS (PARTITION BY customer_id ORDER BY updated_at);
TRUNCATE warehouse.dim_product;
INSERT INTO warehouse.dim_product VALUES (0, 'unknown', NULL, 'unknown', NULL, NULL, '-infinity', 'infinity', true);
INSERT INTO warehouse.dim_product (product_sk, product_id, name, category, unit_price, unit_cost, valid_from, valid_to, is_current)
SELECT row_number() OVER (ORDER BY product_id, updated_at), product_id, name, category, unit_price, unit_cost,
       CASE WHEN lag(updated_at) OVER w IS NULL THEN '-infinity'::timestamptz ELSE updated_at END,
       coalesce(lead(updated_at) OVER w, 'infinity'::timestamptz),
       lead(updated_at) OVER w IS NULL
FROM staging.product_versions
WINDOW w AS (PARTITION BY product_id ORDER BY updated_at);
