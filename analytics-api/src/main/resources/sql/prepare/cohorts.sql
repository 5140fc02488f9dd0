-- Every cohort row of the version.
SELECT cohort_month, month_offset, customers FROM marts.mart_cohort WHERE version_from <= :version AND version_to > :version
