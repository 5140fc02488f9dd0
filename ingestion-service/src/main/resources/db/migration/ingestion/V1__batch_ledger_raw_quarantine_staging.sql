-- Ingestion's schemas: the batch ledger (pipeline.batch), raw copies, quarantine and staging.

CREATE TABLE pipeline.batch (
    batch_id        uuid PRIMARY KEY,
    batch_seq       bigserial UNIQUE NOT NULL,
    entity          text NOT NULL,
    idempotency_key text NOT NULL,
    status          text NOT NULL CHECK (status IN ('loaded', 'transformed', 'published', 'audit_failed')),
    received        integer NOT NULL,
    loaded          integer NOT NULL,
    quarantined     integer NOT NULL,
    unknown_fields  integer NOT NULL,
    content_type    text NOT NULL,
    body_bytes      bigint NOT NULL,
    received_at     timestamptz NOT NULL,
    loaded_at       timestamptz NOT NULL,
    transform_run_id bigint,
    published_version bigint,
    UNIQUE (entity, idempotency_key),
    CONSTRAINT rows_conserved CHECK (received = loaded + quarantined)
);
CREATE INDEX batch_status_idx ON pipeline.batch (status, batch_seq);
COMMENT ON TABLE pipeline.batch IS 'Batch ledger: one row per ingested batch; status moves loaded -> transformed -> published (or audit_failed).';
COMMENT ON COLUMN pipeline.batch.batch_seq IS 'Arrival order; for entities without updated_at the latest batch wins.';
COMMENT ON COLUMN pipeline.batch.idempotency_key IS 'Idempotency-Key header, or the SHA-256 of the body.';

CREATE TABLE raw.batch_body (
    batch_id         uuid PRIMARY KEY REFERENCES pipeline.batch (batch_id),
    content_encoding text NOT NULL,
    body             bytea NOT NULL,
    report           jsonb NOT NULL
);
COMMENT ON TABLE raw.batch_body IS 'Each batch body exactly as received (gzip-compressed), with its report, for replay and audit.';

CREATE TABLE quarantine.rejected_row (
    id            bigserial PRIMARY KEY,
    batch_id      uuid NOT NULL REFERENCES pipeline.batch (batch_id),
    entity        text NOT NULL,
    line_number   integer NOT NULL,
    original_line text NOT NULL,
    reasons       jsonb NOT NULL,
    received_at   timestamptz NOT NULL
);
CREATE INDEX rejected_row_batch_idx ON quarantine.rejected_row (batch_id);
CREATE INDEX rejected_row_entity_idx ON quarantine.rejected_row (entity, id);
COMMENT ON TABLE quarantine.rejected_row IS 'Rows that failed validation, with every reason ({field, rule, value}).';

CREATE TABLE staging.customers (
    customer_id text PRIMARY KEY,
    email       text NOT NULL,
    first_name  text NOT NULL,
    last_name   text NOT NULL,
    city        text,
    state       text,
    country     text NOT NULL,
    signup_at   timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    batch_id    uuid NOT NULL,
    batch_seq   bigint NOT NULL,
    loaded_at   timestamptz NOT NULL
);

CREATE TABLE staging.products (
    product_id  text PRIMARY KEY,
    name        text NOT NULL,
    category    text NOT NULL,
    unit_price  numeric(14,2) NOT NULL,
    unit_cost   numeric(14,2),
    updated_at  timestamptz NOT NULL,
    batch_id    uuid NOT NULL,
    batch_seq   bigint NOT NULL,
    loaded_at   timestamptz NOT NULL
);

CREATE TABLE staging.orders (
    order_id    text PRIMARY KEY,
    customer_id text NOT NULL,
    order_ts    timestamptz NOT NULL,
    status      text NOT NULL,
    channel     text NOT NULL,
    updated_at  timestamptz NOT NULL,
    batch_id    uuid NOT NULL,
    batch_seq   bigint NOT NULL,
    loaded_at   timestamptz NOT NULL
);

CREATE TABLE staging.order_items (
    order_id    text NOT NULL,
    line_number integer NOT NULL,
    product_id  text NOT NULL,
    quantity    integer NOT NULL,
    unit_price  numeric(14,2) NOT NULL,
    discount    numeric(14,2) NOT NULL,
    batch_id    uuid NOT NULL,
    batch_seq   bigint NOT NULL,
    loaded_at   timestamptz NOT NULL,
    PRIMARY KEY (order_id, line_number)
);

CREATE TABLE staging.payments (
    payment_id  text PRIMARY KEY,
    order_id    text NOT NULL,
    method      text NOT NULL,
    amount      numeric(14,2) NOT NULL,
    status      text NOT NULL,
    paid_at     timestamptz NOT NULL,
    batch_id    uuid NOT NULL,
    batch_seq   bigint NOT NULL,
    loaded_at   timestamptz NOT NULL
);

CREATE INDEX customers_batch_idx ON staging.customers (batch_seq);
CREATE INDEX products_batch_idx ON staging.products (batch_seq);
CREATE INDEX orders_batch_idx ON staging.orders (batch_seq);
CREATE INDEX order_items_batch_idx ON staging.order_items (batch_seq);
CREATE INDEX payments_batch_idx ON staging.payments (batch_seq);

COMMENT ON TABLE staging.customers IS 'Typed, valid customers; newest updated_at per customer_id wins.';
COMMENT ON TABLE staging.products IS 'Typed, valid products; newest updated_at per product_id wins.';
COMMENT ON TABLE staging.orders IS 'Typed, valid orders; newest updated_at per order_id wins.';
COMMENT ON TABLE staging.order_items IS 'Typed, valid order lines; the latest batch containing a key wins.';
COMMENT ON TABLE staging.payments IS 'Typed, valid payments; the latest batch containing a key wins.';
