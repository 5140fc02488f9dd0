-- Incremental transform (issue 5):
-- 1. (core: views over staging, created by each run from sql/core_views.sql, since ingestion's tables
--    may not exist yet when this migration runs.)
-- 2. Facts range-partitioned by month (partitions are created by the run as data arrives), with
--    the indexes an incremental run needs to find the facts of changed orders, customers and products.
-- 3. Marts keep rows of several versions without copying: a row is valid from the version that
--    wrote it (version_from) up to the version that replaced it (version_to, exclusive). A run
--    rewrites only the keys its batches touched; readers of version v take
--    version_from <= v AND version_to > v, so the published version stays whole while the next is
--    written and audited beside it. Marts are derived data: the next run rebuilds them in full.

-- 2. warehouse -------------------------------------------------------------------------------------
ALTER TABLE warehouse.dim_customer ADD COLUMN updated_at timestamptz;
ALTER TABLE warehouse.dim_product ADD COLUMN updated_at timestamptz;
COMMENT ON COLUMN warehouse.dim_customer.updated_at IS 'updated_at of this version: with customer_id, what identifies it (its surrogate key stays when later versions arrive).';
COMMENT ON COLUMN warehouse.dim_product.updated_at IS 'updated_at of this version: with product_id, what identifies it (its surrogate key stays when later versions arrive).';
CREATE UNIQUE INDEX dim_customer_version_idx ON warehouse.dim_customer (customer_id, updated_at);
CREATE UNIQUE INDEX dim_product_version_idx ON warehouse.dim_product (product_id, updated_at);
CREATE SEQUENCE warehouse.dim_customer_sk_seq;
CREATE SEQUENCE warehouse.dim_product_sk_seq;
CREATE INDEX dim_customer_current_idx ON warehouse.dim_customer (customer_id) WHERE is_current;
CREATE INDEX dim_product_current_idx ON warehouse.dim_product (product_id) WHERE is_current;

DROP TABLE warehouse.fact_order_line;
CREATE TABLE warehouse.fact_order_line (
    order_id      text NOT NULL,
    line_number   integer NOT NULL,
    customer_id   text NOT NULL,
    product_id    text NOT NULL,
    customer_sk   bigint NOT NULL,
    product_sk    bigint NOT NULL,
    category      text NOT NULL,
    country       text NOT NULL,
    state         text,
    order_ts      timestamptz NOT NULL,
    order_date    date NOT NULL,
    status        text NOT NULL,
    channel       text NOT NULL,
    quantity      integer NOT NULL,
    unit_price    numeric(14,2) NOT NULL,
    discount      numeric(14,2) NOT NULL,
    revenue       numeric(16,2) NOT NULL,
    is_qualifying boolean NOT NULL,
    PRIMARY KEY (order_id, line_number, order_date)
) PARTITION BY RANGE (order_date);
CREATE INDEX fact_order_line_customer_idx ON warehouse.fact_order_line (customer_id);
CREATE INDEX fact_order_line_product_idx ON warehouse.fact_order_line (product_id);
COMMENT ON TABLE warehouse.fact_order_line IS 'One row per order line whose order has arrived; partitioned by month of order_date.';
COMMENT ON COLUMN warehouse.fact_order_line.order_id IS 'The order (staging.orders.order_id).';
COMMENT ON COLUMN warehouse.fact_order_line.line_number IS 'The line within the order, 1-1000.';
COMMENT ON COLUMN warehouse.fact_order_line.customer_id IS 'The ordering customer''s natural key (may not have arrived: see customer_sk).';
COMMENT ON COLUMN warehouse.fact_order_line.product_id IS 'The product''s natural key (may not have arrived: see product_sk).';
COMMENT ON COLUMN warehouse.fact_order_line.customer_sk IS 'The customer version valid at order_ts (0: not arrived).';
COMMENT ON COLUMN warehouse.fact_order_line.product_sk IS 'The product version valid at order_ts (0: not arrived).';
COMMENT ON COLUMN warehouse.fact_order_line.category IS 'Category of the product version valid at order_ts, or unknown when the product has not arrived.';
COMMENT ON COLUMN warehouse.fact_order_line.country IS 'Country of the customer version valid at order_ts, or unknown.';
COMMENT ON COLUMN warehouse.fact_order_line.state IS 'State of the customer version valid at order_ts (null when none or unknown).';
COMMENT ON COLUMN warehouse.fact_order_line.order_ts IS 'When the order was placed.';
COMMENT ON COLUMN warehouse.fact_order_line.order_date IS 'UTC date of the order''s order_ts (the partition key).';
COMMENT ON COLUMN warehouse.fact_order_line.status IS 'The order''s current status: placed, paid, shipped, delivered, cancelled or returned.';
COMMENT ON COLUMN warehouse.fact_order_line.channel IS 'web, mobile or marketplace.';
COMMENT ON COLUMN warehouse.fact_order_line.quantity IS 'Units ordered.';
COMMENT ON COLUMN warehouse.fact_order_line.unit_price IS 'Price per unit on the line.';
COMMENT ON COLUMN warehouse.fact_order_line.discount IS 'Discount on the whole line (0 when none).';
COMMENT ON COLUMN warehouse.fact_order_line.revenue IS 'quantity x unit_price - discount.';
COMMENT ON COLUMN warehouse.fact_order_line.is_qualifying IS 'True when the order''s current status is paid, shipped or delivered.';

CREATE TABLE warehouse.fact_payment (
    payment_id  text NOT NULL,
    order_id    text NOT NULL,
    method      text NOT NULL,
    amount      numeric(14,2) NOT NULL,
    status      text NOT NULL,
    paid_at     timestamptz NOT NULL,
    paid_date   date NOT NULL,
    PRIMARY KEY (payment_id, paid_date)
) PARTITION BY RANGE (paid_date);
COMMENT ON TABLE warehouse.fact_payment IS 'One row per payment; partitioned by month of paid_date.';
COMMENT ON COLUMN warehouse.fact_payment.payment_id IS 'The payment (staging.payments.payment_id).';
COMMENT ON COLUMN warehouse.fact_payment.order_id IS 'The order paid (may not have arrived).';
COMMENT ON COLUMN warehouse.fact_payment.method IS 'credit_card, debit_card, paypal, gift_card or bank_transfer.';
COMMENT ON COLUMN warehouse.fact_payment.amount IS 'Amount of the payment.';
COMMENT ON COLUMN warehouse.fact_payment.status IS 'captured, refunded or failed (only captured counts in payment KPIs).';
COMMENT ON COLUMN warehouse.fact_payment.paid_at IS 'When it was paid.';
COMMENT ON COLUMN warehouse.fact_payment.paid_date IS 'UTC date of paid_at (the partition key).';

-- Creates the monthly partitions of a fact table that the range [first, last] needs.
CREATE FUNCTION warehouse.ensure_month_partitions(fact text, first date, last date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    m date := date_trunc('month', first)::date;
    created integer := 0;
    part text;
BEGIN
    IF first IS NULL OR last IS NULL THEN
        RETURN 0;
    END IF;
    WHILE m <= last LOOP
        part := fact || '_' || to_char(m, 'YYYY"m"MM');
        IF to_regclass('warehouse.' || part) IS NULL THEN
            EXECUTE format('CREATE TABLE warehouse.%I PARTITION OF warehouse.%I FOR VALUES FROM (%L) TO (%L)',
                           part, fact, m, (m + interval '1 month')::date);
            created := created + 1;
        END IF;
        m := (m + interval '1 month')::date;
    END LOOP;
    RETURN created;
END $$;
COMMENT ON FUNCTION warehouse.ensure_month_partitions(text, date, date) IS 'Creates missing monthly partitions of a fact table.';

-- 3. marts -----------------------------------------------------------------------------------------
DROP TABLE marts.mart_daily_sales, marts.mart_daily_category_sales, marts.mart_customer_daily,
    marts.mart_customer_first_order;
DELETE FROM pipeline.published_version;
UPDATE pipeline.batch SET status = 'transformed' WHERE status = 'published';

CREATE TABLE marts.mart_daily_sales (
    order_date   date NOT NULL,
    revenue      numeric(18,2) NOT NULL,
    orders       integer NOT NULL,
    units        bigint NOT NULL,
    version_from bigint NOT NULL,
    version_to   bigint NOT NULL DEFAULT 9223372036854775807,
    PRIMARY KEY (order_date, version_from)
);
COMMENT ON TABLE marts.mart_daily_sales IS 'Revenue, qualifying orders and units per UTC day.';
COMMENT ON COLUMN marts.mart_daily_sales.order_date IS 'UTC day of the orders.';
COMMENT ON COLUMN marts.mart_daily_sales.revenue IS 'Sum of line revenue of qualifying orders.';
COMMENT ON COLUMN marts.mart_daily_sales.orders IS 'Qualifying orders.';
COMMENT ON COLUMN marts.mart_daily_sales.units IS 'Units of qualifying orders.';

CREATE TABLE marts.mart_daily_category_sales (
    order_date   date NOT NULL,
    category     text NOT NULL,
    revenue      numeric(18,2) NOT NULL,
    orders       integer NOT NULL,
    units        bigint NOT NULL,
    version_from bigint NOT NULL,
    version_to   bigint NOT NULL DEFAULT 9223372036854775807,
    PRIMARY KEY (order_date, category, version_from)
);
COMMENT ON TABLE marts.mart_daily_category_sales IS 'Revenue, qualifying orders (with a line in the category) and units per day and category.';
COMMENT ON COLUMN marts.mart_daily_category_sales.order_date IS 'UTC day of the orders.';
COMMENT ON COLUMN marts.mart_daily_category_sales.category IS 'Category of the product version valid at the order time (unknown when not arrived).';
COMMENT ON COLUMN marts.mart_daily_category_sales.revenue IS 'Line revenue of qualifying orders in the category.';
COMMENT ON COLUMN marts.mart_daily_category_sales.orders IS 'Qualifying orders with a line in the category.';
COMMENT ON COLUMN marts.mart_daily_category_sales.units IS 'Units in the category.';

CREATE TABLE marts.mart_daily_channel_sales (
    order_date   date NOT NULL,
    channel      text NOT NULL,
    revenue      numeric(18,2) NOT NULL,
    orders       integer NOT NULL,
    units        bigint NOT NULL,
    version_from bigint NOT NULL,
    version_to   bigint NOT NULL DEFAULT 9223372036854775807,
    PRIMARY KEY (order_date, channel, version_from)
);
COMMENT ON TABLE marts.mart_daily_channel_sales IS 'Revenue, qualifying orders and units per day and sales channel.';
COMMENT ON COLUMN marts.mart_daily_channel_sales.order_date IS 'UTC day of the orders.';
COMMENT ON COLUMN marts.mart_daily_channel_sales.channel IS 'web, mobile or marketplace.';
COMMENT ON COLUMN marts.mart_daily_channel_sales.revenue IS 'Line revenue of qualifying orders in the channel.';
COMMENT ON COLUMN marts.mart_daily_channel_sales.orders IS 'Qualifying orders in the channel.';
COMMENT ON COLUMN marts.mart_daily_channel_sales.units IS 'Their units.';

CREATE TABLE marts.mart_product_daily (
    order_date   date NOT NULL,
    product_id   text NOT NULL,
    revenue      numeric(18,2) NOT NULL,
    units        bigint NOT NULL,
    orders       integer NOT NULL,
    version_from bigint NOT NULL,
    version_to   bigint NOT NULL DEFAULT 9223372036854775807,
    PRIMARY KEY (order_date, product_id, version_from)
);
COMMENT ON TABLE marts.mart_product_daily IS 'Revenue, units and qualifying orders per day and product (top products).';
COMMENT ON COLUMN marts.mart_product_daily.order_date IS 'UTC day of the orders.';
COMMENT ON COLUMN marts.mart_product_daily.product_id IS 'The product (names and categories come from its current dimension row).';
COMMENT ON COLUMN marts.mart_product_daily.revenue IS 'Line revenue of the product in qualifying orders.';
COMMENT ON COLUMN marts.mart_product_daily.units IS 'Units sold in qualifying orders.';
COMMENT ON COLUMN marts.mart_product_daily.orders IS 'Qualifying orders with a line of the product.';

CREATE TABLE marts.mart_customer_daily (
    order_date   date NOT NULL,
    customer_id  text NOT NULL,
    country      text NOT NULL,
    state        text NOT NULL,
    orders       integer NOT NULL,
    revenue      numeric(18,2) NOT NULL,
    version_from bigint NOT NULL,
    version_to   bigint NOT NULL DEFAULT 9223372036854775807,
    PRIMARY KEY (order_date, customer_id, country, state, version_from)
);
COMMENT ON TABLE marts.mart_customer_daily IS 'Qualifying orders and revenue per day, customer and the customer''s address at the order (distinct customers, repeat customers, geography).';
COMMENT ON COLUMN marts.mart_customer_daily.order_date IS 'UTC day.';
COMMENT ON COLUMN marts.mart_customer_daily.customer_id IS 'The customer.';
COMMENT ON COLUMN marts.mart_customer_daily.country IS 'Country of the customer version valid at the order (unknown when not arrived).';
COMMENT ON COLUMN marts.mart_customer_daily.state IS 'State of that version (empty when none).';
COMMENT ON COLUMN marts.mart_customer_daily.orders IS 'The customer''s qualifying orders that day at that address.';
COMMENT ON COLUMN marts.mart_customer_daily.revenue IS 'Their revenue.';

CREATE TABLE marts.mart_payment_daily (
    paid_date    date NOT NULL,
    method       text NOT NULL,
    amount       numeric(18,2) NOT NULL,
    payments     integer NOT NULL,
    version_from bigint NOT NULL,
    version_to   bigint NOT NULL DEFAULT 9223372036854775807,
    PRIMARY KEY (paid_date, method, version_from)
);
COMMENT ON TABLE marts.mart_payment_daily IS 'Captured payments per UTC day of paid_at and method.';
COMMENT ON COLUMN marts.mart_payment_daily.paid_date IS 'UTC day of paid_at.';
COMMENT ON COLUMN marts.mart_payment_daily.method IS 'Payment method.';
COMMENT ON COLUMN marts.mart_payment_daily.amount IS 'Sum of amount of captured payments.';
COMMENT ON COLUMN marts.mart_payment_daily.payments IS 'Captured payments.';

CREATE TABLE marts.mart_customer (
    customer_id      text NOT NULL,
    first_order_date date NOT NULL,
    last_order_date  date NOT NULL,
    orders           integer NOT NULL,
    ltv              numeric(18,2) NOT NULL,
    ltv_30d          numeric(18,2) NOT NULL,
    version_from     bigint NOT NULL,
    version_to       bigint NOT NULL DEFAULT 9223372036854775807,
    PRIMARY KEY (customer_id, version_from)
);
CREATE INDEX mart_customer_first_order_idx ON marts.mart_customer (first_order_date);
CREATE INDEX mart_customer_ltv_idx ON marts.mart_customer (ltv DESC);
COMMENT ON TABLE marts.mart_customer IS 'Lifetime figures of every customer with a qualifying order (new customers, ltv, RFM inputs).';
COMMENT ON COLUMN marts.mart_customer.customer_id IS 'The customer.';
COMMENT ON COLUMN marts.mart_customer.first_order_date IS 'UTC day of the first qualifying order ever (the cohort).';
COMMENT ON COLUMN marts.mart_customer.last_order_date IS 'UTC day of the latest qualifying order (recency).';
COMMENT ON COLUMN marts.mart_customer.orders IS 'Qualifying orders ever (frequency).';
COMMENT ON COLUMN marts.mart_customer.ltv IS 'Lifetime revenue (monetary).';
COMMENT ON COLUMN marts.mart_customer.ltv_30d IS 'Revenue of qualifying orders dated at most 30 days after the first one''s date.';

CREATE TABLE marts.mart_cohort (
    cohort_month   date NOT NULL,
    month_offset   integer NOT NULL,
    customers      integer NOT NULL,
    version_from   bigint NOT NULL,
    version_to     bigint NOT NULL DEFAULT 9223372036854775807,
    PRIMARY KEY (cohort_month, month_offset, version_from)
);
COMMENT ON TABLE marts.mart_cohort IS 'Customers of each cohort (month of first qualifying order) active k months later.';
COMMENT ON COLUMN marts.mart_cohort.cohort_month IS 'First day of the cohort''s month.';
COMMENT ON COLUMN marts.mart_cohort.month_offset IS 'k: months after the cohort month (0 is the cohort month; its count is the cohort size).';
COMMENT ON COLUMN marts.mart_cohort.customers IS 'Customers of the cohort with a qualifying order in month cohort + k.';

CREATE TABLE marts.mart_product (
    product_id   text NOT NULL,
    name         text NOT NULL,
    category     text NOT NULL,
    version_from bigint NOT NULL,
    version_to   bigint NOT NULL DEFAULT 9223372036854775807,
    PRIMARY KEY (product_id, version_from)
);
COMMENT ON TABLE marts.mart_product IS 'The current name and category of every product (top products show these).';
COMMENT ON COLUMN marts.mart_product.product_id IS 'The product.';
COMMENT ON COLUMN marts.mart_product.name IS 'Name of its current version.';
COMMENT ON COLUMN marts.mart_product.category IS 'Category of its current version.';

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['mart_daily_sales', 'mart_daily_category_sales', 'mart_daily_channel_sales', 'mart_product_daily',
                             'mart_customer_daily', 'mart_payment_daily', 'mart_customer', 'mart_cohort', 'mart_product'] LOOP
        EXECUTE format('COMMENT ON COLUMN marts.%I.version_from IS %L', t,
                       'First mart version (pipeline.published_version) this row belongs to.');
        EXECUTE format('COMMENT ON COLUMN marts.%I.version_to IS %L', t,
                       'The version that replaced this row (exclusive); max bigint while current.');
    END LOOP;
END $$;

CREATE INDEX mart_customer_version_from_idx ON marts.mart_customer (version_from);
ALTER TABLE marts.mart_customer ADD COLUMN active_months date[] NOT NULL;
COMMENT ON COLUMN marts.mart_customer.active_months IS 'First days of the months with a qualifying order (cohort retention).';

-- What changed since the last published version; the next version's marts apply it. Kept across a
-- failed audit (the facts stay changed while the marts go back to the published version); emptied
-- when a version is published.
CREATE TABLE warehouse.unpublished_change (
    customer_id text,
    product_id  text,
    paid_date   date,
    full_build  boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE warehouse.unpublished_change IS 'Customers, products and payment dates changed since the last published version (or a pending full build).';
COMMENT ON COLUMN warehouse.unpublished_change.customer_id IS 'A customer whose qualifying facts changed (lifetime figures, cohort).';
COMMENT ON COLUMN warehouse.unpublished_change.product_id IS 'A product with a new version (its current name and category).';
COMMENT ON COLUMN warehouse.unpublished_change.paid_date IS 'A UTC payment date whose payments changed.';
COMMENT ON COLUMN warehouse.unpublished_change.full_build IS 'True: a full build was not published; the next run is a full build too.';

CREATE TABLE warehouse.unpublished_fact_delta (
    run_id      bigint NOT NULL,
    sign        smallint NOT NULL,
    order_id    text NOT NULL,
    order_date  date NOT NULL,
    customer_id text NOT NULL,
    product_id  text NOT NULL,
    category    text NOT NULL,
    channel     text NOT NULL,
    country     text NOT NULL,
    state       text NOT NULL,
    quantity    integer NOT NULL,
    revenue     numeric(16,2) NOT NULL
);
COMMENT ON TABLE warehouse.unpublished_fact_delta IS 'Qualifying order lines of every order whose facts changed since the last published version: its old lines (sign -1) and new lines (+1), per run. The additive marts apply them as deltas.';
COMMENT ON COLUMN warehouse.unpublished_fact_delta.run_id IS 'The run that changed the order.';
COMMENT ON COLUMN warehouse.unpublished_fact_delta.sign IS '-1: a line of the order as it was; +1: as it is now.';
COMMENT ON COLUMN warehouse.unpublished_fact_delta.order_id IS 'The order.';
COMMENT ON COLUMN warehouse.unpublished_fact_delta.order_date IS 'Its UTC date.';
COMMENT ON COLUMN warehouse.unpublished_fact_delta.customer_id IS 'Its customer.';
COMMENT ON COLUMN warehouse.unpublished_fact_delta.product_id IS 'The line''s product.';
COMMENT ON COLUMN warehouse.unpublished_fact_delta.category IS 'The line''s category as of the order.';
COMMENT ON COLUMN warehouse.unpublished_fact_delta.channel IS 'The order''s channel.';
COMMENT ON COLUMN warehouse.unpublished_fact_delta.country IS 'The customer''s country as of the order.';
COMMENT ON COLUMN warehouse.unpublished_fact_delta.state IS 'The customer''s state as of the order ('''' when none).';
COMMENT ON COLUMN warehouse.unpublished_fact_delta.quantity IS 'Units of the line.';
COMMENT ON COLUMN warehouse.unpublished_fact_delta.revenue IS 'Revenue of the line.';

-- The inputs of RFM scoring at a mart version: each customer's last qualifying order date, orders
-- and revenue, over its lifetime (as_of null) or up to a day (from the daily rows).
CREATE FUNCTION marts.customer_rfm_inputs(v bigint, as_of date)
RETURNS TABLE (customer_id text, last_order_date date, orders bigint, revenue numeric)
LANGUAGE sql STABLE AS $$
    SELECT customer_id, last_order_date, orders::bigint, ltv
    FROM marts.mart_customer WHERE version_from <= v AND version_to > v AND as_of IS NULL
    UNION ALL
    SELECT customer_id, max(order_date), sum(orders)::bigint, sum(revenue)
    FROM marts.mart_customer_daily
    WHERE version_from <= v AND version_to > v AND as_of IS NOT NULL AND order_date <= as_of
    GROUP BY customer_id
$$;
COMMENT ON FUNCTION marts.customer_rfm_inputs(bigint, date) IS 'RFM inputs per customer at a mart version, lifetime or up to as_of.';
