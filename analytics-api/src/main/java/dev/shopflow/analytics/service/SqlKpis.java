package dev.shopflow.analytics.service;

import static dev.shopflow.analytics.service.Answers.money;
import static dev.shopflow.analytics.service.Answers.number;
import static dev.shopflow.analytics.service.Answers.ratio;
import static dev.shopflow.analytics.service.Answers.share;

import dev.shopflow.analytics.domain.KpiAnswers.CategoryRevenue;
import dev.shopflow.analytics.domain.KpiAnswers.CategoryShare;
import dev.shopflow.analytics.domain.KpiAnswers.ChannelRevenue;
import dev.shopflow.analytics.domain.KpiAnswers.ChannelShare;
import dev.shopflow.analytics.domain.KpiAnswers.Cohort;
import dev.shopflow.analytics.domain.KpiAnswers.Cohorts;
import dev.shopflow.analytics.domain.KpiAnswers.CountryFigures;
import dev.shopflow.analytics.domain.KpiAnswers.Customer;
import dev.shopflow.analytics.domain.KpiAnswers.CustomerLtv;
import dev.shopflow.analytics.domain.KpiAnswers.CustomerValue;
import dev.shopflow.analytics.domain.KpiAnswers.Geography;
import dev.shopflow.analytics.domain.KpiAnswers.MethodShare;
import dev.shopflow.analytics.domain.KpiAnswers.PaymentMethods;
import dev.shopflow.analytics.domain.KpiAnswers.RankedProduct;
import dev.shopflow.analytics.domain.KpiAnswers.RegionFigures;
import dev.shopflow.analytics.domain.KpiAnswers.RevenuePeriod;
import dev.shopflow.analytics.domain.KpiAnswers.RevenueSeries;
import dev.shopflow.analytics.domain.KpiAnswers.RfmScores;
import dev.shopflow.analytics.domain.KpiAnswers.RfmSegments;
import dev.shopflow.analytics.domain.KpiAnswers.SegmentFigures;
import dev.shopflow.analytics.domain.KpiAnswers.StateFigures;
import dev.shopflow.analytics.domain.KpiAnswers.Summary;
import dev.shopflow.analytics.domain.KpiAnswers.TopProducts;
import dev.shopflow.analytics.domain.KpiAnswers.Weekday;
import dev.shopflow.analytics.domain.KpiAnswers.WeekdayFigures;
import dev.shopflow.analytics.persistence.KpiRepository;
import dev.shopflow.analytics.persistence.PublishedVersion;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KPI answers computed by SQL over the published marts (sql/*.sql), one statement per answer pinned
 * to the version: the way a version is answered while it is not prepared in memory, or when it
 * cannot be ({@link PreparedKpis}). Rounding: {@link Answers}.
 */
@ApplicationScoped
public class SqlKpis {

    private final KpiRepository repository;
    private final Cache cache;

    SqlKpis(KpiRepository repository, @CacheName(KpiService.CACHE) Cache cache) {
        this.repository = repository;
        this.cache = cache;
    }

    Summary summary(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        Map<String, Object> s = repository.rows("summary", range(v, from, to)).get(0);
        BigDecimal revenue = (BigDecimal) s.get("revenue");
        long orders = number(s.get("orders"));
        long customers = number(s.get("customers"));
        return new Summary(v.asOf(), v.version(), from, to, money(revenue), orders, number(s.get("units")),
                ratio(revenue, orders, 2), customers, number(s.get("new_customers")),
                ratio(BigDecimal.valueOf(number(s.get("repeat_customers"))), customers, 4));
    }

    RevenueSeries revenue(PublishedVersion v, LocalDate from, LocalDate to, String granularity, String category)
            throws SQLException {
        Map<String, Object> p = range(v, from, to);
        p.put("granularity", granularity);
        p.put("category", category);
        List<RevenuePeriod> items = new ArrayList<>();
        for (Map<String, Object> r : repository.rows("revenue_series", p)) {
            BigDecimal revenue = (BigDecimal) r.get("revenue");
            long orders = number(r.get("orders"));
            items.add(new RevenuePeriod((LocalDate) r.get("period"), money(revenue), orders, number(r.get("units")),
                    ratio(revenue, orders, 2)));
        }
        return new RevenueSeries(v.asOf(), v.version(), from, to, granularity, category, items);
    }

    CategoryRevenue revenueByCategory(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        return new CategoryRevenue(v.asOf(), v.version(), from, to, shares("revenue_by_category", v, from, to,
                (r, revenue, share) -> new CategoryShare((String) r.get("category"), revenue, number(r.get("orders")),
                        number(r.get("units")), share)));
    }

    ChannelRevenue revenueByChannel(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        return new ChannelRevenue(v.asOf(), v.version(), from, to, shares("revenue_by_channel", v, from, to,
                (r, revenue, share) -> new ChannelShare((String) r.get("channel"), revenue, number(r.get("orders")),
                        number(r.get("units")), share)));
    }

    @FunctionalInterface
    private interface ShareRow<T> {
        T of(Map<String, Object> row, BigDecimal revenue, BigDecimal share);
    }

    /** The rows of a query of {key, revenue, orders, units}, each with its share of their revenue. */
    private <T> List<T> shares(String query, PublishedVersion v, LocalDate from, LocalDate to, ShareRow<T> row)
            throws SQLException {
        List<Map<String, Object>> rows = repository.rows(query, range(v, from, to));
        BigDecimal total = total(rows, "revenue");
        return rows.stream().map(r -> row.of(r, money((BigDecimal) r.get("revenue")), share((BigDecimal) r.get("revenue"), total)))
                .toList();
    }

    private static BigDecimal total(List<Map<String, Object>> rows, String column) {
        return rows.stream().map(r -> (BigDecimal) r.get(column)).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    TopProducts topProducts(PublishedVersion v, LocalDate from, LocalDate to, String by, int limit, int offset)
            throws SQLException {
        Map<String, Object> p = range(v, from, to);
        p.put("by", by);
        Page page = page("top_products", p, limit, offset);
        List<RankedProduct> items = new ArrayList<>();
        long rank = offset + 1;
        for (Map<String, Object> r : page.rows()) {
            items.add(new RankedProduct(rank++, (String) r.get("product_id"), (String) r.get("name"), (String) r.get("category"),
                    money((BigDecimal) r.get("revenue")), number(r.get("units"))));
        }
        return new TopProducts(v.asOf(), v.version(), from, to, by, limit, offset, page.total(), items);
    }

    /** Rows of one page of a ranked query, and how many rows the whole answer has. */
    record Page(List<Map<String, Object>> rows, long total) {
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
        return new Page(rows, total);
    }

    Customer customer(PublishedVersion v, String customerId) throws SQLException {
        List<Map<String, Object>> rows = repository.rows("customer", Map.of("version", v.version(), "customer_id", customerId));
        if (rows.isEmpty()) {
            throw Answers.unknownCustomer(v, customerId);
        }
        Map<String, Object> c = rows.get(0);
        Map<String, Object> rfm = rfm(v, null, customerId).get(0);
        LocalDate reference = (LocalDate) rfm.get("as_of");
        return new Customer(v.asOf(), v.version(), customerId, money((BigDecimal) c.get("ltv")),
                money((BigDecimal) c.get("ltv_30d")), number(c.get("orders")), (LocalDate) c.get("first_order_date"),
                (LocalDate) c.get("last_order_date"), new RfmScores((String) rfm.get("segment"), number(rfm.get("recency")),
                        number(rfm.get("r")), number(rfm.get("f")), number(rfm.get("m")), reference, reference));
    }

    CustomerLtv customerLtv(PublishedVersion v, String order, int limit, int offset) throws SQLException {
        Page page = page("customer_ltv", Map.of("version", v.version(), "order", order), limit, offset);
        return new CustomerLtv(v.asOf(), v.version(), order, limit, offset, page.total(), page.rows().stream()
                .map(r -> new CustomerValue((String) r.get("customer_id"), money((BigDecimal) r.get("ltv")),
                        money((BigDecimal) r.get("ltv_30d")), number(r.get("orders")), (LocalDate) r.get("first_order_date"),
                        (LocalDate) r.get("last_order_date"))).toList());
    }

    RfmSegments rfmSegments(PublishedVersion v, LocalDate asOf) throws SQLException {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, BigDecimal> revenue = new HashMap<>();
        LocalDate reference = asOf;
        for (Map<String, Object> r : rfm(v, asOf, null)) {
            String segment = (String) r.get("segment");
            counts.computeIfAbsent(segment, k -> new long[1])[0] += number(r.get("customers"));
            revenue.merge(segment, (BigDecimal) r.get("revenue"), BigDecimal::add);
            reference = (LocalDate) r.get("as_of");
        }
        List<SegmentFigures> items = new ArrayList<>();
        for (Rfm.Segment segment : Rfm.Segment.values()) {
            String name = segment.wireName();
            items.add(new SegmentFigures(name, counts.containsKey(name) ? counts.get(name)[0] : 0L,
                    money(revenue.getOrDefault(name, BigDecimal.ZERO))));
        }
        return new RfmSegments(v.asOf(), v.version(), reference, reference, items);
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

    Cohorts cohorts(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        Map<LocalDate, Map<Integer, Long>> cohorts = new LinkedHashMap<>();
        LocalDate last = null;
        for (Map<String, Object> r : repository.rows("cohorts", range(v, from, to))) {
            cohorts.computeIfAbsent((LocalDate) r.get("cohort_month"), m -> new HashMap<>())
                    .put(((Number) r.get("month_offset")).intValue(), number(r.get("customers")));
            last = (LocalDate) r.get("last_month");
        }
        List<Cohort> items = new ArrayList<>();
        for (Map.Entry<LocalDate, Map<Integer, Long>> cohort : cohorts.entrySet()) {
            items.add(Answers.cohort(cohort.getKey(), cohort.getValue(), last));
        }
        return new Cohorts(v.asOf(), v.version(), from, to, items);
    }

    PaymentMethods paymentMethods(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        List<Map<String, Object>> rows = repository.rows("payment_methods", range(v, from, to));
        BigDecimal total = total(rows, "amount");
        return new PaymentMethods(v.asOf(), v.version(), from, to, rows.stream().map(r -> new MethodShare((String) r.get("method"),
                money((BigDecimal) r.get("amount")), number(r.get("payments")), share((BigDecimal) r.get("amount"), total))).toList());
    }

    Geography geography(PublishedVersion v, LocalDate from, LocalDate to, String level) throws SQLException {
        Map<String, Object> p = range(v, from, to);
        p.put("level", level);
        List<RegionFigures> items = new ArrayList<>();
        for (Map<String, Object> r : repository.rows("geography", p)) {
            String country = (String) r.get("country");
            BigDecimal revenue = money((BigDecimal) r.get("revenue"));
            long orders = number(r.get("orders"));
            long customers = number(r.get("customers"));
            items.add(level.equals("country") ? new CountryFigures(country, revenue, orders, customers)
                    : new StateFigures(country, (String) r.get("state"), revenue, orders, customers));
        }
        return new Geography(v.asOf(), v.version(), from, to, level, items);
    }

    Weekday weekday(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        List<WeekdayFigures> items = new ArrayList<>();
        for (Map<String, Object> r : repository.rows("weekday", range(v, from, to))) {
            int day = ((Number) r.get("day_of_week")).intValue();
            items.add(new WeekdayFigures(day, money((BigDecimal) r.get("revenue")), number(r.get("orders")), Answers.DAY_NAMES[day - 1]));
        }
        return new Weekday(v.asOf(), v.version(), from, to, items);
    }

    private static Map<String, Object> range(PublishedVersion v, LocalDate from, LocalDate to) {
        Map<String, Object> p = new HashMap<>();
        p.put("version", v.version());
        p.put("from", from);
        p.put("to", to);
        return p;
    }
}
