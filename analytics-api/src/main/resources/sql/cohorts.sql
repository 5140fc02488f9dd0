-- Parameters: version, from, to (first days of cohort months). Also the latest month with any
-- activity, so every cohort's retention runs to it.
SELECT cohort_month, month_offset, customers,
       (SELECT max((c.cohort_month + make_interval(months => c.month_offset))::date) FROM marts.mart_cohort c
        WHERE c.version_from <= :version AND c.version_to > :version) AS last_month
FROM marts.mart_cohort
WHERE version_from <= :version AND version_to > :version AND cohort_month BETWEEN :from AND :to
ORDER BY cohort_month, month_offset
