-- An incremental run recomputes the payment marts of the dates its payments touched; without an
-- index on paid_date that read scanned every month's payments on every run (growing with the data).
CREATE INDEX fact_payment_paid_date_idx ON warehouse.fact_payment (paid_date);
