-- Parameters: version, as_of (null: the latest qualifying order date). The reference day and the
-- quintile cut points (percentile_disc 0.2/0.4/0.6/0.8) of recency, frequency and monetary over
-- every customer: computed once per version and as_of (KpiService caches them).
WITH inputs AS (
    SELECT * FROM marts.customer_rfm_inputs(:version, :as_of::date)
), ref AS (
    SELECT coalesce(:as_of::date, max(last_order_date)) AS as_of FROM inputs
)
SELECT ref.as_of,
       percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY ref.as_of - i.last_order_date) AS r_cuts,
       percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY i.orders) AS f_cuts,
       percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY i.revenue) AS m_cuts
FROM inputs i, ref
GROUP BY ref.as_of
