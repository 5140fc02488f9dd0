-- The star schema's dimensions: customers and products as slowly changing dimensions of type 2
-- (one row per version; the first version valid from the beginning of time; an unknown member
-- with key 0 for facts whose customer or product has not arrived), and a calendar.

CREATE TABLE warehouse.dim_customer (
    customer_sk  bigint PRIMARY KEY,
    customer_id  text NOT NULL,
    email        text,
    first_name   text,
    last_name    text,
    city         text,
    state        text,
    country      text,
    signup_at    timestamptz,
    valid_from   timestamptz NOT NULL,
    valid_to     timestamptz NOT NULL,
    is_current   boolean NOT NULL
);
CREATE INDEX dim_customer_asof_idx ON warehouse.dim_customer (customer_id, valid_from);
COMMENT ON TABLE warehouse.dim_customer IS 'Customers, one row per version (SCD type 2); customer_sk 0 is the unknown member.';
COMMENT ON COLUMN warehouse.dim_customer.valid_from IS 'When this version starts: -infinity for the first version, else its updated_at.';
COMMENT ON COLUMN warehouse.dim_customer.valid_to IS 'When the next version starts (exclusive), infinity for the current one.';

CREATE TABLE warehouse.dim_product (
    product_sk   bigint PRIMARY KEY,
    product_id   text NOT NULL,
    name         text,
    category     text NOT NULL,
    unit_price   numeric(14,2),
    unit_cost    numeric(14,2),
    valid_from   timestamptz NOT NULL,
    valid_to     timestamptz NOT NULL,
    is_current   boolean NOT NULL
);
CREATE INDEX dim_product_asof_idx ON warehouse.dim_product (product_id, valid_from);
COMMENT ON TABLE warehouse.dim_product IS 'Products, one row per version (SCD type 2); product_sk 0 is the unknown member.';
COMMENT ON COLUMN warehouse.dim_product.category IS 'The category of this version; facts take the version valid at the order''s order_ts.';

CREATE TABLE warehouse.dim_date (
    date_key     integer PRIMARY KEY,
    date         date NOT NULL UNIQUE,
    iso_year     integer NOT NULL,
    iso_week     integer NOT NULL,
    week_start   date NOT NULL,
    month_start  date NOT NULL,
    year         integer NOT NULL,
    quarter      integer NOT NULL,
    month        integer NOT NULL,
    day_of_week  integer NOT NULL,
    is_weekend   boolean NOT NULL
);
COMMENT ON TABLE warehouse.dim_date IS 'Calendar 2000-2050: ISO weeks start on Monday and are labelled by their first day.';
COMMENT ON COLUMN warehouse.dim_date.day_of_week IS 'ISO day of week: 1 Monday .. 7 Sunday.';
INSERT INTO warehouse.dim_date
SELECT to_char(d, 'YYYYMMDD')::integer, d, extract(isoyear FROM d)::integer, extract(week FROM d)::integer,
       date_trunc('week', d)::date, date_trunc('month', d)::date, extract(year FROM d)::integer,
       extract(quarter FROM d)::integer, extract(month FROM d)::integer, extract(isodow FROM d)::integer,
       extract(isodow FROM d) IN (6, 7)
FROM generate_series(date '2000-01-01', date '2050-12-31', interval '1 day') AS g(t), LATERAL (SELECT t::date AS d) x;

ALTER TABLE warehouse.fact_order_line ADD COLUMN customer_sk bigint NOT NULL DEFAULT 0,
    ADD COLUMN product_sk bigint NOT NULL DEFAULT 0;
COMMENT ON COLUMN warehouse.fact_order_line.customer_sk IS 'The customer version valid at order_ts (0: not arrived).';
COMMENT ON COLUMN warehouse.fact_order_line.product_sk IS 'The product version valid at order_ts (0: not arrived).';
COMMENT ON COLUMN warehouse.fact_order_line.category IS 'Category of the product version valid at order_ts, or unknown when the product has not arrived.';
