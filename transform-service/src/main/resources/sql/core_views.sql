-- core: the cleaned 3NF entities as views over staging (dbt's "view" materialization): nothing is
-- copied, each version carries its validity, and the warehouse is built only from core. Created or
-- replaced at the start of every run: they depend on ingestion's staging tables, which may not exist
-- yet when transform's migrations run.
CREATE OR REPLACE VIEW core.customer_version AS
SELECT customer_id, lower(email) AS email, first_name, last_name, city, state, upper(country) AS country, signup_at,
       updated_at, batch_seq,
       CASE WHEN lag(updated_at) OVER w IS NULL THEN '-infinity'::timestamptz ELSE updated_at END AS valid_from,
       coalesce(lead(updated_at) OVER w, 'infinity'::timestamptz) AS valid_to
FROM staging.customer_versions
WINDOW w AS (PARTITION BY customer_id ORDER BY updated_at);
COMMENT ON VIEW core.customer_version IS 'Every version of every customer with its validity (the first from -infinity) and the batch it came in.';

CREATE OR REPLACE VIEW core.product_version AS
SELECT product_id, name, category, unit_price, unit_cost, updated_at, batch_seq,
       CASE WHEN lag(updated_at) OVER w IS NULL THEN '-infinity'::timestamptz ELSE updated_at END AS valid_from,
       coalesce(lead(updated_at) OVER w, 'infinity'::timestamptz) AS valid_to
FROM staging.product_versions
WINDOW w AS (PARTITION BY product_id ORDER BY updated_at);
COMMENT ON VIEW core.product_version IS 'Every version of every product with its validity (the first from -infinity) and the batch it came in.';

CREATE OR REPLACE VIEW core.order_header AS
SELECT order_id, customer_id, order_ts, (order_ts AT TIME ZONE 'UTC')::date AS order_date, status, channel,
       status IN ('paid', 'shipped', 'delivered') AS is_qualifying, updated_at
FROM staging.orders;
COMMENT ON VIEW core.order_header IS 'The current version of each order, dated by the UTC day of order_ts.';

CREATE OR REPLACE VIEW core.order_line AS
SELECT order_id, line_number, product_id, quantity, unit_price, discount, quantity * unit_price - discount AS revenue
FROM staging.order_items;
COMMENT ON VIEW core.order_line IS 'The latest received version of each order line, with its revenue.';

CREATE OR REPLACE VIEW core.payment AS
SELECT payment_id, order_id, method, amount, status, paid_at, (paid_at AT TIME ZONE 'UTC')::date AS paid_date
FROM staging.payments;
COMMENT ON VIEW core.payment IS 'The latest received version of each payment, dated by the UTC day of paid_at.';

