-- Every table and column of the warehouse and the marts says what it holds; docs/data-dictionary.md
-- is generated from these comments (DataDictionaryTests fails when it is stale).

COMMENT ON COLUMN warehouse.fact_order_line.order_id IS 'The order (staging.orders.order_id).';
COMMENT ON COLUMN warehouse.fact_order_line.line_number IS 'The line within the order, 1-1000.';
COMMENT ON COLUMN warehouse.fact_order_line.customer_id IS 'The ordering customer''s natural key (may not have arrived: see customer_sk).';
COMMENT ON COLUMN warehouse.fact_order_line.product_id IS 'The product''s natural key (may not have arrived: see product_sk).';
COMMENT ON COLUMN warehouse.fact_order_line.order_ts IS 'When the order was placed.';
COMMENT ON COLUMN warehouse.fact_order_line.status IS 'The order''s current status: placed, paid, shipped, delivered, cancelled or returned.';
COMMENT ON COLUMN warehouse.fact_order_line.channel IS 'web, mobile or marketplace.';
COMMENT ON COLUMN warehouse.fact_order_line.quantity IS 'Units ordered.';
COMMENT ON COLUMN warehouse.fact_order_line.unit_price IS 'Price per unit on the line.';
COMMENT ON COLUMN warehouse.fact_order_line.discount IS 'Discount on the whole line (0 when none).';

COMMENT ON COLUMN warehouse.dim_customer.customer_sk IS 'Surrogate key of this version; 0 is the unknown member.';
COMMENT ON COLUMN warehouse.dim_customer.customer_id IS 'Natural key.';
COMMENT ON COLUMN warehouse.dim_customer.email IS 'Email address of this version.';
COMMENT ON COLUMN warehouse.dim_customer.first_name IS 'First name.';
COMMENT ON COLUMN warehouse.dim_customer.last_name IS 'Last name.';
COMMENT ON COLUMN warehouse.dim_customer.city IS 'City of this version (customers move).';
COMMENT ON COLUMN warehouse.dim_customer.state IS 'State or province, when the country has them.';
COMMENT ON COLUMN warehouse.dim_customer.country IS 'ISO 3166-1 alpha-2 country.';
COMMENT ON COLUMN warehouse.dim_customer.signup_at IS 'When the customer signed up.';
COMMENT ON COLUMN warehouse.dim_customer.is_current IS 'True for the latest version.';

COMMENT ON COLUMN warehouse.dim_product.product_sk IS 'Surrogate key of this version; 0 is the unknown member.';
COMMENT ON COLUMN warehouse.dim_product.product_id IS 'Natural key.';
COMMENT ON COLUMN warehouse.dim_product.name IS 'Product name of this version.';
COMMENT ON COLUMN warehouse.dim_product.unit_price IS 'List price of this version.';
COMMENT ON COLUMN warehouse.dim_product.unit_cost IS 'Unit cost of this version, when known.';
COMMENT ON COLUMN warehouse.dim_product.valid_from IS 'When this version starts: -infinity for the first version, else its updated_at.';
COMMENT ON COLUMN warehouse.dim_product.valid_to IS 'When the next version starts (exclusive), infinity for the current one.';
COMMENT ON COLUMN warehouse.dim_product.is_current IS 'True for the latest version.';

COMMENT ON COLUMN warehouse.dim_date.date_key IS 'yyyymmdd.';
COMMENT ON COLUMN warehouse.dim_date.date IS 'The day.';
COMMENT ON COLUMN warehouse.dim_date.iso_year IS 'ISO 8601 week-numbering year.';
COMMENT ON COLUMN warehouse.dim_date.iso_week IS 'ISO 8601 week number, 1-53.';
COMMENT ON COLUMN warehouse.dim_date.week_start IS 'The Monday that starts the day''s week (weeks are labelled by it).';
COMMENT ON COLUMN warehouse.dim_date.month_start IS 'The first day of the day''s month.';
COMMENT ON COLUMN warehouse.dim_date.year IS 'Calendar year.';
COMMENT ON COLUMN warehouse.dim_date.quarter IS 'Calendar quarter, 1-4.';
COMMENT ON COLUMN warehouse.dim_date.month IS 'Calendar month, 1-12.';
COMMENT ON COLUMN warehouse.dim_date.is_weekend IS 'Saturday or Sunday.';

COMMENT ON COLUMN marts.mart_daily_sales.version IS 'The mart version (pipeline.published_version) this row belongs to.';
COMMENT ON COLUMN marts.mart_daily_sales.order_date IS 'UTC day of the orders.';
COMMENT ON COLUMN marts.mart_daily_sales.revenue IS 'Sum of line revenue of qualifying orders.';
COMMENT ON COLUMN marts.mart_daily_sales.orders IS 'Qualifying orders.';
COMMENT ON COLUMN marts.mart_daily_sales.units IS 'Units of qualifying orders.';
COMMENT ON COLUMN marts.mart_daily_category_sales.version IS 'The mart version this row belongs to.';
COMMENT ON COLUMN marts.mart_daily_category_sales.order_date IS 'UTC day of the orders.';
COMMENT ON COLUMN marts.mart_daily_category_sales.category IS 'Category of the product version valid at the order time (unknown when not arrived).';
COMMENT ON COLUMN marts.mart_daily_category_sales.revenue IS 'Line revenue of qualifying orders in the category.';
COMMENT ON COLUMN marts.mart_daily_category_sales.orders IS 'Qualifying orders with a line in the category.';
COMMENT ON COLUMN marts.mart_daily_category_sales.units IS 'Units in the category.';
COMMENT ON COLUMN marts.mart_customer_daily.version IS 'The mart version this row belongs to.';
COMMENT ON COLUMN marts.mart_customer_daily.customer_id IS 'The customer.';
COMMENT ON COLUMN marts.mart_customer_daily.order_date IS 'UTC day.';
COMMENT ON COLUMN marts.mart_customer_daily.orders IS 'The customer''s qualifying orders that day.';
COMMENT ON COLUMN marts.mart_customer_daily.revenue IS 'Their revenue.';
COMMENT ON COLUMN marts.mart_customer_first_order.version IS 'The mart version this row belongs to.';
COMMENT ON COLUMN marts.mart_customer_first_order.customer_id IS 'The customer.';
COMMENT ON COLUMN marts.mart_customer_first_order.first_order_date IS 'UTC day of the customer''s first qualifying order ever.';
