-- 1. Every accepted version of customers and products. staging.customers/products keep only the
--    newest version per key; the warehouse's SCD type 2 dimensions need all of them, whatever
--    arrived between two transform runs, so a full rebuild and incremental runs see the same history.
-- 2. Leaner staging rows for bulk loads: batch_seq alone links a row to its batch (and its load
--    time) in the ledger; the per-row uuid and timestamp went. The batch_seq indexes become BRIN:
--    rows arrive in batch order, so a few pages of index find a batch's rows for the incremental
--    transform, at almost no cost per inserted row.

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
    batch_seq   bigint NOT NULL,
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
    batch_seq   bigint NOT NULL,
    PRIMARY KEY (product_id, updated_at)
);
COMMENT ON TABLE staging.product_versions IS 'Every accepted product version (key, updated_at); the first arrival of a version stays.';

-- Versions already in staging before this migration are the only ones known; keep them.
INSERT INTO staging.customer_versions
SELECT customer_id, email, first_name, last_name, city, state, country, signup_at, updated_at, batch_seq
FROM staging.customers;
INSERT INTO staging.product_versions
SELECT product_id, name, category, unit_price, unit_cost, updated_at, batch_seq
FROM staging.products;

ALTER TABLE staging.customers DROP COLUMN batch_id, DROP COLUMN loaded_at;
ALTER TABLE staging.products DROP COLUMN batch_id, DROP COLUMN loaded_at;
ALTER TABLE staging.orders DROP COLUMN batch_id, DROP COLUMN loaded_at;
ALTER TABLE staging.order_items DROP COLUMN batch_id, DROP COLUMN loaded_at;
ALTER TABLE staging.payments DROP COLUMN batch_id, DROP COLUMN loaded_at;

DROP INDEX staging.customers_batch_idx, staging.products_batch_idx, staging.orders_batch_idx,
    staging.order_items_batch_idx, staging.payments_batch_idx;
CREATE INDEX customers_batch_idx ON staging.customers USING brin (batch_seq);
CREATE INDEX products_batch_idx ON staging.products USING brin (batch_seq);
CREATE INDEX orders_batch_idx ON staging.orders USING brin (batch_seq);
CREATE INDEX order_items_batch_idx ON staging.order_items USING brin (batch_seq);
CREATE INDEX payments_batch_idx ON staging.payments USING brin (batch_seq);

COMMENT ON COLUMN staging.order_items.batch_seq IS 'The batch (pipeline.batch.batch_seq) that last wrote this row.';

-- 3. Raw bodies are gzip already: store them out of line without PostgreSQL trying to compress them again.
ALTER TABLE raw.batch_body ALTER COLUMN body SET STORAGE EXTERNAL;
