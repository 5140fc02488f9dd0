-- Both build the same thing: per table, the row count and a sum in the baseline (bench/baseline-full-
-- refresh.sql) against the warehouse and the published mart version :version. One row per table;
-- "same" is false where they differ.
WITH v AS (SELECT :version::bigint AS v),
pairs (name, baseline_rows, built_rows, baseline_sum, built_sum) AS (
  SELECT 'dim_customer', (SELECT count(*) FROM baseline.dim_customer), (SELECT count(*) FROM warehouse.dim_customer),
         (SELECT count(DISTINCT customer_id)::numeric FROM baseline.dim_customer), (SELECT count(DISTINCT customer_id)::numeric FROM warehouse.dim_customer)
  UNION ALL SELECT 'dim_product', (SELECT count(*) FROM baseline.dim_product), (SELECT count(*) FROM warehouse.dim_product),
         (SELECT count(DISTINCT product_id)::numeric FROM baseline.dim_product), (SELECT count(DISTINCT product_id)::numeric FROM warehouse.dim_product)
  UNION ALL SELECT 'fact_order_line', (SELECT count(*) FROM baseline.fact_order_line), (SELECT count(*) FROM warehouse.fact_order_line),
         (SELECT sum(revenue) FROM baseline.fact_order_line), (SELECT sum(revenue) FROM warehouse.fact_order_line)
  UNION ALL SELECT 'fact_payment', (SELECT count(*) FROM baseline.fact_payment), (SELECT count(*) FROM warehouse.fact_payment),
         (SELECT sum(amount) FROM baseline.fact_payment), (SELECT sum(amount) FROM warehouse.fact_payment)
  UNION ALL SELECT 'mart_daily_sales', (SELECT count(*) FROM baseline.mart_daily_sales),
         (SELECT count(*) FROM marts.mart_daily_sales, v WHERE version_from <= v AND version_to > v),
         (SELECT sum(revenue) + sum(orders) FROM baseline.mart_daily_sales),
         (SELECT sum(revenue) + sum(orders) FROM marts.mart_daily_sales, v WHERE version_from <= v AND version_to > v)
  UNION ALL SELECT 'mart_daily_category_sales', (SELECT count(*) FROM baseline.mart_daily_category_sales),
         (SELECT count(*) FROM marts.mart_daily_category_sales, v WHERE version_from <= v AND version_to > v),
         (SELECT sum(revenue) + sum(orders) FROM baseline.mart_daily_category_sales),
         (SELECT sum(revenue) + sum(orders) FROM marts.mart_daily_category_sales, v WHERE version_from <= v AND version_to > v)
  UNION ALL SELECT 'mart_daily_channel_sales', (SELECT count(*) FROM baseline.mart_daily_channel_sales),
         (SELECT count(*) FROM marts.mart_daily_channel_sales, v WHERE version_from <= v AND version_to > v),
         (SELECT sum(revenue) + sum(orders) FROM baseline.mart_daily_channel_sales),
         (SELECT sum(revenue) + sum(orders) FROM marts.mart_daily_channel_sales, v WHERE version_from <= v AND version_to > v)
  UNION ALL SELECT 'mart_product_daily', (SELECT count(*) FROM baseline.mart_product_daily),
         (SELECT count(*) FROM marts.mart_product_daily, v WHERE version_from <= v AND version_to > v),
         (SELECT sum(revenue) + sum(units) FROM baseline.mart_product_daily),
         (SELECT sum(revenue) + sum(units) FROM marts.mart_product_daily, v WHERE version_from <= v AND version_to > v)
  UNION ALL SELECT 'mart_customer_daily', (SELECT count(*) FROM baseline.mart_customer_daily),
         (SELECT count(*) FROM marts.mart_customer_daily, v WHERE version_from <= v AND version_to > v),
         (SELECT sum(revenue) + sum(orders) FROM baseline.mart_customer_daily),
         (SELECT sum(revenue) + sum(orders) FROM marts.mart_customer_daily, v WHERE version_from <= v AND version_to > v)
  UNION ALL SELECT 'mart_payment_daily', (SELECT count(*) FROM baseline.mart_payment_daily),
         (SELECT count(*) FROM marts.mart_payment_daily, v WHERE version_from <= v AND version_to > v),
         (SELECT sum(amount) + sum(payments) FROM baseline.mart_payment_daily),
         (SELECT sum(amount) + sum(payments) FROM marts.mart_payment_daily, v WHERE version_from <= v AND version_to > v)
  UNION ALL SELECT 'mart_customer', (SELECT count(*) FROM baseline.mart_customer),
         (SELECT count(*) FROM marts.mart_customer, v WHERE version_from <= v AND version_to > v),
         (SELECT sum(ltv) + sum(orders) + coalesce(sum(ltv_30d), 0) FROM baseline.mart_customer),
         (SELECT sum(ltv) + sum(orders) + coalesce(sum(ltv_30d), 0) FROM marts.mart_customer, v WHERE version_from <= v AND version_to > v)
  UNION ALL SELECT 'mart_cohort', (SELECT count(*) FROM baseline.mart_cohort),
         (SELECT count(*) FROM marts.mart_cohort, v WHERE version_from <= v AND version_to > v),
         (SELECT sum(customers)::numeric FROM baseline.mart_cohort),
         (SELECT sum(customers)::numeric FROM marts.mart_cohort, v WHERE version_from <= v AND version_to > v)
  UNION ALL SELECT 'mart_product', (SELECT count(*) FROM baseline.mart_product),
         (SELECT count(*) FROM marts.mart_product, v WHERE version_from <= v AND version_to > v),
         (SELECT count(DISTINCT category)::numeric FROM baseline.mart_product),
         (SELECT count(DISTINCT category)::numeric FROM marts.mart_product, v WHERE version_from <= v AND version_to > v))
SELECT name, baseline_rows, built_rows, baseline_sum, built_sum,
       baseline_rows = built_rows AND baseline_sum IS NOT DISTINCT FROM built_sum AS same
FROM pairs;
