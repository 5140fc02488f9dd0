-- Parameters: version, from, to. Captured payments dated by paid_at (UTC).
SELECT method, sum(amount) AS amount, sum(payments) AS payments
FROM marts.mart_payment_daily
WHERE version_from <= :version AND version_to > :version AND paid_date BETWEEN :from AND :to
GROUP BY method
ORDER BY amount DESC, method
