-- A prepared version's rows (PreparedKpis): daily totals. Parameter: version.
SELECT order_date, revenue, orders, units FROM marts.mart_daily_sales WHERE version_from <= :version AND version_to > :version
