package dev.shopflow.analytics.service;

import static dev.shopflow.analytics.service.Answers.envelope;
import static dev.shopflow.analytics.service.Answers.list;
import static dev.shopflow.analytics.service.Answers.money;
import static dev.shopflow.analytics.service.Answers.number;
import static dev.shopflow.analytics.service.Answers.ratio;
import static dev.shopflow.analytics.service.Answers.share;

import dev.shopflow.analytics.persistence.KpiRepository;
import dev.shopflow.analytics.persistence.PublishedVersion;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KPI answers computed by SQL over the published marts (sql/*.sql), one statement per answer pinned
 * to the version: the way a version is answered while it is not prepared in memory, or when it
 * cannot be ({@link PreparedKpis}). Shapes and rounding: {@link Answers}.
 */
@ApplicationScoped
public class SqlKpis {

    private final KpiRepository repository;
    private final Cache cache;

    SqlKpis(KpiRepository repository, @CacheName(KpiService.CACHE) Cache cache) {
        this.repository = repository;
        this.cache = cache;
    }

    Map<String, Object> summary(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        Map<String, Object> s = repository.rows("summary", range(v, from, to)).get(0);
        BigDecimal revenue = (BigDecimal) s.get("revenue");
        long orders = number(s.get("orders"));
        long customers = number(s.get("customers"));
        Map<String, Object> body = envelope(v, from, to);
        body.put("revenue", money(revenue));
        body.put("orders", orders);
        body.put("units", number(s.get("units")));
        body.put("aov", ratio(revenue, orders, 2));
        body.put("customers", customers);
        body.put("new_customers", number(s.get("new_customers")));
        body.put("repeat_customer_rate", ratio(BigDecimal.valueOf(number(s.get("repeat_customers"))), customers, 4));
        return body;
    }

    Map<String, Object> revenue(PublishedVersion v, LocalDate from, LocalDate to, String granularity, String category)
            throws SQLException {
        Map<String, Object> p = range(v, from, to);
        p.put("granularity", granularity);
        p.put("category", category);
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map<String, Object> r : repository.rows("revenue_series", p)) {
            BigDecimal revenue = (BigDecimal) r.get("revenue");
            long orders = number(r.get("orders"));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("period", r.get("period"));
            row.put("revenue", money(revenue));
            row.put("orders", orders);
            row.put("units", number(r.get("units")));
            row.put("aov", ratio(revenue, orders, 2));
            items.add(row);
        }
        Map<String, Object> body = envelope(v, from, to);
        body.put("granularity", granularity);
        body.put("category", category);
        body.put("items", items);
        return body;
    }

    Map<String, Object> revenueByCategory(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        return revenueShares("revenue_by_category", v, from, to);
    }

    Map<String, Object> revenueByChannel(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        return revenueShares("revenue_by_channel", v, from, to);
    }

    /** Rows of {key, revenue, orders, units} by revenue, each with its share of the range's revenue. */
    private Map<String, Object> revenueShares(String query, PublishedVersion v, LocalDate from, LocalDate to)
            throws SQLException {
        List<Map<String, Object>> rows = repository.rows(query, range(v, from, to));
        BigDecimal total = rows.stream().map(r -> (BigDecimal) r.get("revenue")).reduce(BigDecimal.ZERO, BigDecimal::add);
        for (Map<String, Object> r : rows) {
            BigDecimal revenue = (BigDecimal) r.get("revenue");
            r.put("revenue", money(revenue));
            r.put("orders", number(r.get("orders")));
            r.put("units", number(r.get("units")));
            r.put("share", share(revenue, total));
        }
        return list(envelope(v, from, to), rows);
    }

    Map<String, Object> topProducts(PublishedVersion v, LocalDate from, LocalDate to, String by, int limit, int offset)
            throws SQLException {
        Map<String, Object> p = range(v, from, to);
        p.put("by", by);
        Page page = page("top_products", p, limit, offset);
        List<Map<String, Object>> items = new ArrayList<>();
        int rank = offset + 1;
        for (Map<String, Object> r : page.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rank", rank++);
            row.put("product_id", r.get("product_id"));
            row.put("name", r.get("name"));
            row.put("category", r.get("category"));
            row.put("revenue", money((BigDecimal) r.get("revenue")));
            row.put("units", number(r.get("units")));
            items.add(row);
        }
        Map<String, Object> body = envelope(v, from, to);
        body.put("by", by);
        page.describe(body);
        return list(body, items);
    }

    /** Rows of one page of a ranked query, and how many rows the whole answer has. */
    record Page(List<Map<String, Object>> rows, long total, int limit, int offset) {

        void describe(Map<String, Object> body) {
            Answers.page(body, limit, offset, total);
        }
    }

    /**
     * One page of a ranked query whose rows carry {@code total} (a window count); past the last row
     * the page is empty, so the total is read from the first row instead.
     */
    private Page page(String query, Map<String, Object> parameters, int limit, int offset) throws SQLException {
        Map<String, Object> p = new HashMap<>(parameters);
        p.put("limit", limit);
        p.put("offset", offset);
        List<Map<String, Object>> rows = repository.rows(query, p);
        long total = 0;
        if (!rows.isEmpty()) {
            total = number(rows.get(0).get("total"));
        } else if (offset > 0) {
            p.put("limit", 1);
            p.put("offset", 0);
            List<Map<String, Object>> head = repository.rows(query, p);
            total = head.isEmpty() ? 0 : number(head.get(0).get("total"));
        }
        rows.forEach(r -> r.remove("total"));
        return new Page(rows, total, limit, offset);
    }

    Map<String, Object> customer(PublishedVersion v, String customerId) throws SQLException {
        List<Map<String, Object>> rows = repository.rows("customer", Map.of("version", v.version(), "customer_id", customerId));
        if (rows.isEmpty()) {
            throw new ProblemException(Problem.of(Response.Status.NOT_FOUND, "unknown-customer",
                    "No customer " + customerId + " with a qualifying order in version " + v.version()));
        }
        Map<String, Object> c = rows.get(0);
        Map<String, Object> rfm = rfm(v, null, customerId).get(0);
        Map<String, Object> body = envelope(v);
        body.put("customer_id", customerId);
        body.put("ltv", money((BigDecimal) c.get("ltv")));
        body.put("ltv_30d", money((BigDecimal) c.get("ltv_30d")));
        body.put("orders", number(c.get("orders")));
        body.put("first_order_date", c.get("first_order_date"));
        body.put("last_order_date", c.get("last_order_date"));
        Map<String, Object> scores = new LinkedHashMap<>();
        scores.put("segment", rfm.get("segment"));
        scores.put("recency_days", number(rfm.get("recency")));
        scores.put("r", number(rfm.get("r")));
        scores.put("f", number(rfm.get("f")));
        scores.put("m", number(rfm.get("m")));
        scores.put("reference_date", rfm.get("as_of"));
        scores.put("as_of", rfm.get("as_of")); // deprecated name of reference_date
        body.put("rfm", scores);
        return body;
    }

    Map<String, Object> customerLtv(PublishedVersion v, String order, int limit, int offset) throws SQLException {
        Page page = page("customer_ltv", Map.of("version", v.version(), "order", order), limit, offset);
        List<Map<String, Object>> rows = page.rows();
        for (Map<String, Object> r : rows) {
            r.put("ltv", money((BigDecimal) r.get("ltv")));
            r.put("ltv_30d", money((BigDecimal) r.get("ltv_30d")));
            r.put("orders", number(r.get("orders")));
        }
        Map<String, Object> body = envelope(v);
        body.put("order", order);
        page.describe(body);
        return list(body, rows);
    }

    Map<String, Object> rfmSegments(PublishedVersion v, LocalDate asOf) throws SQLException {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, BigDecimal> revenue = new HashMap<>();
        LocalDate reference = asOf;
        for (Map<String, Object> r : rfm(v, asOf, null)) {
            String segment = (String) r.get("segment");
            counts.computeIfAbsent(segment, k -> new long[1])[0] += number(r.get("customers"));
            revenue.merge(segment, (BigDecimal) r.get("revenue"), BigDecimal::add);
            reference = (LocalDate) r.get("as_of");
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (Rfm.Segment segment : Rfm.Segment.values()) {
            String name = segment.wireName();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("segment", name);
            row.put("customers", counts.containsKey(name) ? counts.get(name)[0] : 0L);
            row.put("revenue", money(revenue.getOrDefault(name, BigDecimal.ZERO)));
            items.add(row);
        }
        Map<String, Object> body = envelope(v);
        body.put("reference_date", reference);
        body.put("rfm_as_of", reference); // deprecated name of reference_date
        return list(body, items);
    }

    /**
     * RFM score triples with their customers and revenue (one customer's when customerId is given),
     * each with its segment and the reference day. The quintile cut points are computed once per
     * version and as_of (a scan of every customer) and cached.
     */
    private List<Map<String, Object>> rfm(PublishedVersion v, LocalDate asOf, String customerId) throws SQLException {
        Map<String, Object> cuts = rfmCuts(v, asOf);
        if (cuts == null) {
            return List.of();
        }
        Map<String, Object> p = new HashMap<>();
        p.put("version", v.version());
        p.put("as_of", cuts.get("as_of"));
        p.put("r_cuts", Rfm.arrayLiteral(cuts.get("r_cuts")));
        p.put("f_cuts", Rfm.arrayLiteral(cuts.get("f_cuts")));
        p.put("m_cuts", Rfm.arrayLiteral(cuts.get("m_cuts")));
        p.put("customer_id", customerId);
        List<Map<String, Object>> rows = repository.rows("rfm", p);
        for (Map<String, Object> r : rows) {
            r.put("segment", Rfm.segment((int) number(r.get("r")), (int) number(r.get("f")), (int) number(r.get("m"))).wireName());
            r.put("as_of", cuts.get("as_of"));
        }
        return rows;
    }

    /** The reference day and the cut points, or null when no customer has a qualifying order. */
    private Map<String, Object> rfmCuts(PublishedVersion v, LocalDate asOf) throws SQLException {
        Map<String, Object> p = new HashMap<>();
        p.put("version", v.version());
        p.put("as_of", asOf);
        Map<String, Object> cuts;
        try {
            cuts = cache.<String, Map<String, Object>>get("rfm-cuts v" + v.version() + " " + asOf, k -> {
                try {
                    List<Map<String, Object>> rows = repository.rows("rfm_cuts", p);
                    return rows.isEmpty() ? Map.of() : rows.get(0);
                } catch (SQLException e) {
                    throw new KpiService.UncheckedSqlException(e);
                }
            }).await().indefinitely();
        } catch (KpiService.UncheckedSqlException e) {
            throw (SQLException) e.getCause();
        }
        return cuts.isEmpty() ? null : cuts;
    }

    Map<String, Object> cohorts(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        Map<LocalDate, Map<Integer, Long>> cohorts = new LinkedHashMap<>();
        LocalDate last = null;
        for (Map<String, Object> r : repository.rows("cohorts", range(v, from, to))) {
            cohorts.computeIfAbsent((LocalDate) r.get("cohort_month"), m -> new HashMap<>())
                    .put(((Number) r.get("month_offset")).intValue(), number(r.get("customers")));
            last = (LocalDate) r.get("last_month");
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map.Entry<LocalDate, Map<Integer, Long>> cohort : cohorts.entrySet()) {
            long size = cohort.getValue().getOrDefault(0, 0L);
            int months = (int) ChronoUnit.MONTHS.between(cohort.getKey(), last);
            List<BigDecimal> retention = new ArrayList<>();
            for (int k = 0; k <= months; k++) {
                retention.add(ratio(BigDecimal.valueOf(cohort.getValue().getOrDefault(k, 0L)), size, 4));
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cohort_month", cohort.getKey());
            row.put("size", size);
            row.put("retention", retention);
            items.add(row);
        }
        return list(envelope(v, from, to), items);
    }

    Map<String, Object> paymentMethods(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        List<Map<String, Object>> rows = repository.rows("payment_methods", range(v, from, to));
        BigDecimal total = rows.stream().map(r -> (BigDecimal) r.get("amount")).reduce(BigDecimal.ZERO, BigDecimal::add);
        for (Map<String, Object> r : rows) {
            BigDecimal amount = (BigDecimal) r.get("amount");
            r.put("amount", money(amount));
            r.put("payments", number(r.get("payments")));
            r.put("share", share(amount, total));
        }
        return list(envelope(v, from, to), rows);
    }

    Map<String, Object> geography(PublishedVersion v, LocalDate from, LocalDate to, String level) throws SQLException {
        Map<String, Object> p = range(v, from, to);
        p.put("level", level);
        List<Map<String, Object>> rows = repository.rows("geography", p);
        for (Map<String, Object> r : rows) {
            if (level.equals("country")) {
                r.remove("state");
            }
            r.put("revenue", money((BigDecimal) r.get("revenue")));
            r.put("orders", number(r.get("orders")));
            r.put("customers", number(r.get("customers")));
        }
        Map<String, Object> body = envelope(v, from, to);
        body.put("level", level);
        return list(body, rows);
    }

    Map<String, Object> weekday(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        List<Map<String, Object>> rows = repository.rows("weekday", range(v, from, to));
        for (Map<String, Object> r : rows) {
            int day = ((Number) r.get("day_of_week")).intValue();
            r.put("day_name", Answers.DAY_NAMES[day - 1]);
            r.put("revenue", money((BigDecimal) r.get("revenue")));
            r.put("orders", number(r.get("orders")));
        }
        return list(envelope(v, from, to), rows);
    }

    private static Map<String, Object> range(PublishedVersion v, LocalDate from, LocalDate to) {
        Map<String, Object> p = new HashMap<>();
        p.put("version", v.version());
        p.put("from", from);
        p.put("to", to);
        return p;
    }
}
