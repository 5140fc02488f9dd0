-- An incremental transform run finds the customer and product versions of its batches by batch_seq,
-- as it finds orders, lines and payments: a BRIN index (batch_seq grows with arrival) lets it read
-- only the block ranges of those batches instead of every version ever loaded.
CREATE INDEX customer_versions_batch_idx ON staging.customer_versions USING brin (batch_seq);
CREATE INDEX product_versions_batch_idx ON staging.product_versions USING brin (batch_seq);
