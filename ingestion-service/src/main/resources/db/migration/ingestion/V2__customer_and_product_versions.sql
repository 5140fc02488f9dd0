-- Every accepted version of customers and products. staging.customers/products keep only the newest
-- version per key; the warehouse's SCD type 2 dimensions need all of them, whatever arrived between
-- two transform runs, so a full rebuild and incremental runs see the same history.

CREATE TABLE staging.customer_versions (
    customer_id text NOT NULL,
    email       text NOT NULL,
    first_name  text NOT NULL,
    last_name   text NOT NULL,
    city        text,
    state       text,
    country     text NOT NULL,
    signup_at   timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    batch_id    uuid NOT NULL,
    loaded_at   timestamptz NOT NULL,
    PRIMARY KEY (customer_id, updated_at)
);
COMMENT ON TABLE staging.customer_versions IS 'Every accepted customer version (key, updated_at); the first arrival of a version stays.';

CREATE TABLE staging.product_versions (
    product_id  text NOT NULL,
    name        text NOT NULL,
    category    text NOT NULL,
    unit_price  numeric(14,2) NOT NULL,
    unit_cost   numeric(14,2),
    updated_at  timestamptz NOT NULL,
    batch_id    uuid NOT NULL,
    loaded_at   timestamptz NOT NULL,
    PRIMARY KEY (product_id, updated_at)
);
COMMENT ON TABLE staging.product_versions IS 'Every accepted product version (key, updated_at); the first arrival of a version stays.';

-- Versions already in staging before this migration are the only ones known; keep them.
INSERT INTO staging.customer_versions
SELECT customer_id, email, first_name, last_name, city, state, country, signup_at, updated_at, batch_id, loaded_at
FROM staging.customers;
INSERT INTO staging.product_versions
SELECT product_id, name, category, unit_price, unit_cost, updated_at, batch_id, loaded_at
FROM staging.products;
