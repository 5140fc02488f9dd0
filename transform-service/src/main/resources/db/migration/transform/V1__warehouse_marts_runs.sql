-- Transform's schemas: runs and published versions (pipeline), the star schema (warehouse), the KPI marts.

CREATE TABLE pipeline.transform_run (
    run_id            bigserial PRIMARY KEY,
    kind              text NOT NULL CHECK (kind IN ('incremental', 'rebuild')),
    status            text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'audit_failed')),
    started_at        timestamptz NOT NULL,
    finished_at       timestamptz,
    batches           integer NOT NULL DEFAULT 0,
    built_version     bigint,
    published_version bigint,
    audit             jsonb,
    steps             jsonb NOT NULL DEFAULT '[]',
    error             text
);
COMMENT ON TABLE pipeline.transform_run IS 'One row per transform run: status, per-step durations and row counts, audit outcome.';
COMMENT ON COLUMN pipeline.transform_run.built_version IS 'Mart version written by this run (published only if the audit passed).';

CREATE TABLE pipeline.published_version (
    version      bigint PRIMARY KEY,
    run_id       bigint NOT NULL REFERENCES pipeline.transform_run (run_id),
    published_at timestamptz NOT NULL,
    watermark    timestamptz
);
COMMENT ON TABLE pipeline.published_version IS 'Mart versions in the order they were published; the highest is the one served.';
COMMENT ON COLUMN pipeline.published_version.watermark IS 'Receive time of the newest batch included (the as_of of API answers).';

CREATE SEQUENCE pipeline.mart_version_seq;

CREATE TABLE warehouse.fact_order_line (
    order_id      text NOT NULL,
    line_number   integer NOT NULL,
    customer_id   text NOT NULL,
    product_id    text NOT NULL,
    category      text NOT NULL,
    order_ts      timestamptz NOT NULL,
    order_date    date NOT NULL,
    status        text NOT NULL,
    channel       text NOT NULL,
    quantity      integer NOT NULL,
    unit_price    numeric(14,2) NOT NULL,
    discount      numeric(14,2) NOT NULL,
    revenue       numeric(16,2) NOT NULL,
    is_qualifying boolean NOT NULL,
    PRIMARY KEY (order_id, line_number)
);
CREATE INDEX fact_order_line_date_idx ON warehouse.fact_order_line (order_date);
COMMENT ON TABLE warehouse.fact_order_line IS 'One row per order line whose order has arrived.';
COMMENT ON COLUMN warehouse.fact_order_line.order_date IS 'UTC date of the order''s order_ts.';
COMMENT ON COLUMN warehouse.fact_order_line.category IS 'Product category, or unknown when the product has not arrived.';
COMMENT ON COLUMN warehouse.fact_order_line.revenue IS 'quantity x unit_price - discount.';
COMMENT ON COLUMN warehouse.fact_order_line.is_qualifying IS 'True when the order''s current status is paid, shipped or delivered.';

CREATE TABLE marts.mart_daily_sales (
    version    bigint NOT NULL,
    order_date date NOT NULL,
    revenue    numeric(18,2) NOT NULL,
    orders     integer NOT NULL,
    units      bigint NOT NULL,
    PRIMARY KEY (version, order_date)
);
COMMENT ON TABLE marts.mart_daily_sales IS 'Revenue, qualifying orders and units per UTC day, per mart version.';

CREATE TABLE marts.mart_daily_category_sales (
    version    bigint NOT NULL,
    order_date date NOT NULL,
    category   text NOT NULL,
    revenue    numeric(18,2) NOT NULL,
    orders     integer NOT NULL,
    units      bigint NOT NULL,
    PRIMARY KEY (version, order_date, category)
);
COMMENT ON TABLE marts.mart_daily_category_sales IS 'Revenue, qualifying orders (with a line in the category) and units per day and category.';

CREATE TABLE marts.mart_customer_daily (
    version     bigint NOT NULL,
    customer_id text NOT NULL,
    order_date  date NOT NULL,
    orders      integer NOT NULL,
    revenue     numeric(18,2) NOT NULL,
    PRIMARY KEY (version, customer_id, order_date)
);
CREATE INDEX mart_customer_daily_date_idx ON marts.mart_customer_daily (version, order_date);
COMMENT ON TABLE marts.mart_customer_daily IS 'Qualifying orders and revenue per customer and day (distinct and repeat customers).';

CREATE TABLE marts.mart_customer_first_order (
    version          bigint NOT NULL,
    customer_id      text NOT NULL,
    first_order_date date NOT NULL,
    PRIMARY KEY (version, customer_id)
);
CREATE INDEX mart_customer_first_order_date_idx ON marts.mart_customer_first_order (version, first_order_date);
COMMENT ON TABLE marts.mart_customer_first_order IS 'Date of each customer''s first qualifying order ever (new customers).';
