-- RFM scores per customer. Parameters: version, as_of (null: the latest order date), customer_id
-- (null: every customer). Without as_of the lifetime figures of mart_customer are used; with one,
-- each customer's orders up to that day from mart_customer_daily. Each of recency (days from as_of
-- to the last qualifying order), frequency (qualifying orders) and monetary (revenue) is scored 1-5
-- against its quintile cut points (percentile_disc 0.2/0.4/0.6/0.8; ties get the same score):
-- 1 + the number of cut points the value is above (for recency: below). Segments: docs/analytics.md.
WITH base AS (
    SELECT customer_id, last_order_date AS last_date, orders, ltv AS revenue
    FROM marts.mart_customer WHERE version_from <= :version AND version_to > :version AND :as_of::date IS NULL
    UNION ALL
    SELECT customer_id, max(order_date), sum(orders), sum(revenue)
    FROM marts.mart_customer_daily
    WHERE version_from <= :version AND version_to > :version AND :as_of::date IS NOT NULL AND order_date <= :as_of::date
    GROUP BY customer_id
), ref AS (
    SELECT coalesce(:as_of::date, max(last_date)) AS as_of FROM base
), figures AS (
    SELECT b.customer_id, r.as_of - b.last_date AS recency, b.orders AS frequency, b.revenue AS monetary, r.as_of
    FROM base b, ref r
), cuts AS (
    SELECT percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY recency) AS r,
           percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY frequency) AS f,
           percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY monetary) AS m
    FROM figures
), scored AS (
    SELECT x.customer_id, x.recency, x.frequency, x.monetary, x.as_of,
           1 + (SELECT count(*) FROM unnest(cuts.r) v WHERE x.recency < v)::integer AS r_score,
           1 + (SELECT count(*) FROM unnest(cuts.f) v WHERE x.frequency > v)::integer AS f_score,
           1 + (SELECT count(*) FROM unnest(cuts.m) v WHERE x.monetary > v)::integer AS m_score
    FROM figures x, cuts
    WHERE :customer_id::text IS NULL OR x.customer_id = :customer_id
)
SELECT customer_id, recency, frequency, monetary, as_of, r_score, f_score, m_score,
       CASE WHEN r_score >= 4 AND f_score >= 4 AND m_score >= 4 THEN 'champions'
            WHEN r_score >= 3 AND f_score >= 3 THEN 'loyal'
            WHEN r_score >= 4 THEN 'potential_loyalist'
            WHEN r_score = 3 THEN 'needs_attention'
            WHEN f_score >= 3 THEN 'at_risk'
            ELSE 'hibernating' END AS segment
FROM scored
