-- Parameters: version, as_of (the reference day), r_cuts, f_cuts, m_cuts (from rfm_cuts.sql),
-- customer_id (null: every customer). Each measure is scored 1 + the number of cut points it is
-- above (recency: below, since recent is better); customers are counted per score triple.
SELECT 1 + (SELECT count(*) FROM unnest(:r_cuts::integer[]) c WHERE :as_of::date - i.last_order_date < c)::integer AS r,
       1 + (SELECT count(*) FROM unnest(:f_cuts::bigint[]) c WHERE i.orders > c)::integer AS f,
       1 + (SELECT count(*) FROM unnest(:m_cuts::numeric[]) c WHERE i.revenue > c)::integer AS m,
       count(*) AS customers, sum(i.revenue) AS revenue, min(:as_of::date - i.last_order_date) AS recency
FROM marts.customer_rfm_inputs(:version, :as_of::date) i
WHERE :customer_id::text IS NULL OR i.customer_id = :customer_id
GROUP BY 1, 2, 3
