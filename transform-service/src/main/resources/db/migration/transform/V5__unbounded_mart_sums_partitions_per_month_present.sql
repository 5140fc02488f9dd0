-- No accepted row may stop a later stage (CONTRACT.md section 1). Ingestion bounds every value so
-- that a fact line fits numeric(16,2); the marts' sums over any number of lines are unbounded
-- numeric instead of numeric(18,2), which 10^6 lines at the bounds would overflow.
ALTER TABLE marts.mart_daily_sales ALTER COLUMN revenue TYPE numeric;
ALTER TABLE marts.mart_daily_category_sales ALTER COLUMN revenue TYPE numeric;
ALTER TABLE marts.mart_daily_channel_sales ALTER COLUMN revenue TYPE numeric;
ALTER TABLE marts.mart_product_daily ALTER COLUMN revenue TYPE numeric;
ALTER TABLE marts.mart_customer_daily ALTER COLUMN revenue TYPE numeric;
ALTER TABLE marts.mart_payment_daily ALTER COLUMN amount TYPE numeric;
ALTER TABLE marts.mart_customer ALTER COLUMN ltv TYPE numeric, ALTER COLUMN ltv_30d TYPE numeric;

-- Partitions only for the months that hold facts: one order dated 1900 next to this year's used to
-- create every month in between (about 1,500 partitions per fact table, and as many locks per query).
CREATE FUNCTION warehouse.ensure_month_partitions(fact text, months date[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    m date;
    created integer := 0;
    part text;
BEGIN
    IF months IS NULL THEN
        RETURN 0;
    END IF;
    FOREACH m IN ARRAY months LOOP
        m := date_trunc('month', m)::date;
        part := fact || '_' || to_char(m, 'YYYY"m"MM');
        IF to_regclass('warehouse.' || part) IS NULL THEN
            EXECUTE format('CREATE TABLE warehouse.%I PARTITION OF warehouse.%I FOR VALUES FROM (%L) TO (%L)',
                           part, fact, m, (m + interval '1 month')::date);
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END $$;
COMMENT ON FUNCTION warehouse.ensure_month_partitions(text, date[]) IS 'Creates the missing monthly partitions of a fact table for the given months.';
DROP FUNCTION warehouse.ensure_month_partitions(text, date, date);
