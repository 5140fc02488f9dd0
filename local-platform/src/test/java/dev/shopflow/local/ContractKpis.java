package dev.shopflow.local;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The KPIs of docs/contract.md section 3 computed in plain Java from the staged inputs (what ingestion
 * accepted), independently of transform's SQL: qualifying orders, line revenue, UTC dates, the
 * product and customer version valid at each order (SCD2), ISO weeks, first orders, cohorts.
 */
final class ContractKpis {

    record Version(Instant updatedAt, String value) {
    }

    record Order(String orderId, String customerId, Instant orderTs, LocalDate date, boolean qualifying, String channel) {
    }

    record Line(String orderId, String productId, long quantity, BigDecimal revenue) {
    }

    record Payment(String method, BigDecimal amount, String status, LocalDate paidDate) {
    }

    final Map<String, Order> orders = new HashMap<>();
    final List<Line> lines = new ArrayList<>();
    final List<Payment> payments = new ArrayList<>();
    final Map<String, List<Version>> productCategory = new HashMap<>();
    final Map<String, List<Version>> customerCountry = new HashMap<>();

    static ContractKpis load(Connection c) throws SQLException {
        ContractKpis k = new ContractKpis();
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT order_id, customer_id, order_ts, status, channel FROM staging.orders")) {
                while (rs.next()) {
                    Instant ts = rs.getObject(3, OffsetDateTime.class).toInstant();
                    k.orders.put(rs.getString(1), new Order(rs.getString(1), rs.getString(2), ts,
                            LocalDate.ofInstant(ts, ZoneOffset.UTC), Set.of("paid", "shipped", "delivered").contains(rs.getString(4)),
                            rs.getString(5)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT order_id, product_id, quantity, unit_price, discount FROM staging.order_items")) {
                while (rs.next()) {
                    BigDecimal revenue = rs.getBigDecimal(4).multiply(BigDecimal.valueOf(rs.getLong(3))).subtract(rs.getBigDecimal(5));
                    k.lines.add(new Line(rs.getString(1), rs.getString(2), rs.getLong(3), revenue));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT method, amount, status, paid_at FROM staging.payments")) {
                while (rs.next()) {
                    k.payments.add(new Payment(rs.getString(1), rs.getBigDecimal(2), rs.getString(3),
                            LocalDate.ofInstant(rs.getObject(4, OffsetDateTime.class).toInstant(), ZoneOffset.UTC)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT product_id, updated_at, category FROM staging.product_versions")) {
                while (rs.next()) {
                    k.productCategory.computeIfAbsent(rs.getString(1), p -> new ArrayList<>())
                            .add(new Version(rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT customer_id, updated_at, country FROM staging.customer_versions")) {
                while (rs.next()) {
                    k.customerCountry.computeIfAbsent(rs.getString(1), p -> new ArrayList<>())
                            .add(new Version(rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3)));
                }
            }
        }
        k.productCategory.values().forEach(v -> v.sort(Comparator.comparing(Version::updatedAt)));
        k.customerCountry.values().forEach(v -> v.sort(Comparator.comparing(Version::updatedAt)));
        return k;
    }

    /** The version valid at t: the first is valid from the beginning of time, each later one from its updated_at. */
    static String asOf(List<Version> versions, Instant t) {
        if (versions == null) {
            return "unknown";
        }
        String value = versions.get(0).value();
        for (Version v : versions) {
            if (!v.updatedAt().isAfter(t)) {
                value = v.value();
            }
        }
        return value;
    }

    /** Lines of qualifying orders (revenue counts nowhere else). */
    List<Line> qualifyingLines() {
        return lines.stream().filter(l -> orders.containsKey(l.orderId()) && orders.get(l.orderId()).qualifying()).toList();
    }

    Order order(Line l) {
        return orders.get(l.orderId());
    }

    boolean in(LocalDate d, LocalDate from, LocalDate to) {
        return !d.isBefore(from) && !d.isAfter(to);
    }

    Map<String, Object> summary(LocalDate from, LocalDate to) {
        BigDecimal revenue = BigDecimal.ZERO;
        long units = 0;
        Set<String> orderIds = new HashSet<>();
        Map<String, Set<String>> ordersOfCustomer = new HashMap<>();
        for (Line l : qualifyingLines()) {
            Order o = order(l);
            if (in(o.date(), from, to)) {
                revenue = revenue.add(l.revenue());
                units += l.quantity();
                orderIds.add(o.orderId());
                ordersOfCustomer.computeIfAbsent(o.customerId(), c -> new HashSet<>()).add(o.orderId());
            }
        }
        Map<String, LocalDate> first = firstOrderDates();
        long newCustomers = first.values().stream().filter(d -> in(d, from, to)).count();
        long repeat = ordersOfCustomer.values().stream().filter(s -> s.size() >= 2).count();
        Map<String, Object> m = new HashMap<>();
        m.put("revenue", revenue);
        m.put("orders", (long) orderIds.size());
        m.put("units", units);
        m.put("customers", (long) ordersOfCustomer.size());
        m.put("new_customers", newCustomers);
        m.put("repeat_customer_rate", ordersOfCustomer.isEmpty() ? null
                : BigDecimal.valueOf(repeat).divide(BigDecimal.valueOf(ordersOfCustomer.size()), 4, RoundingMode.HALF_UP));
        return m;
    }

    /** Customer -> date of its first qualifying order ever (orders with a line only: facts need lines). */
    Map<String, LocalDate> firstOrderDates() {
        Map<String, LocalDate> first = new HashMap<>();
        for (Line l : qualifyingLines()) {
            Order o = order(l);
            first.merge(o.customerId(), o.date(), (a, b) -> a.isBefore(b) ? a : b);
        }
        return first;
    }

    Map<String, BigDecimal> revenueByCategory(LocalDate from, LocalDate to) {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (Line l : qualifyingLines()) {
            Order o = order(l);
            if (in(o.date(), from, to)) {
                out.merge(asOf(productCategory.get(l.productId()), o.orderTs()), l.revenue(), BigDecimal::add);
            }
        }
        return out;
    }

    /** Channel -> revenue of the qualifying orders of the range. */
    Map<String, BigDecimal> revenueByChannel(LocalDate from, LocalDate to) {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (Line l : qualifyingLines()) {
            Order o = order(l);
            if (in(o.date(), from, to)) {
                out.merge(o.channel(), l.revenue(), BigDecimal::add);
            }
        }
        return out;
    }

    /** Week (labelled by its Monday) -> revenue. */
    Map<LocalDate, BigDecimal> weeklyRevenue(LocalDate from, LocalDate to) {
        Map<LocalDate, BigDecimal> out = new TreeMap<>();
        for (Line l : qualifyingLines()) {
            Order o = order(l);
            if (in(o.date(), from, to)) {
                out.merge(o.date().with(DayOfWeek.MONDAY), l.revenue(), BigDecimal::add);
            }
        }
        return out;
    }

    Map<String, BigDecimal> revenueByCountry(LocalDate from, LocalDate to) {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (Line l : qualifyingLines()) {
            Order o = order(l);
            if (in(o.date(), from, to)) {
                out.merge(asOf(customerCountry.get(o.customerId()), o.orderTs()), l.revenue(), BigDecimal::add);
            }
        }
        return out;
    }

    Map<String, BigDecimal> capturedByMethod(LocalDate from, LocalDate to) {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (Payment p : payments) {
            if (p.status().equals("captured") && in(p.paidDate(), from, to)) {
                out.merge(p.method(), p.amount(), BigDecimal::add);
            }
        }
        return out;
    }

    /** Product -> revenue in the range. */
    Map<String, BigDecimal> productRevenue(LocalDate from, LocalDate to) {
        Map<String, BigDecimal> out = new HashMap<>();
        for (Line l : qualifyingLines()) {
            if (in(order(l).date(), from, to)) {
                out.merge(l.productId(), l.revenue(), BigDecimal::add);
            }
        }
        return out;
    }

    /** ltv, ltv_30d, orders of one customer. */
    Map<String, Object> customer(String customerId) {
        LocalDate first = firstOrderDates().get(customerId);
        BigDecimal ltv = BigDecimal.ZERO;
        BigDecimal ltv30 = BigDecimal.ZERO;
        Set<String> orderIds = new HashSet<>();
        for (Line l : qualifyingLines()) {
            Order o = order(l);
            if (o.customerId().equals(customerId)) {
                ltv = ltv.add(l.revenue());
                orderIds.add(o.orderId());
                if (!o.date().isAfter(first.plusDays(30))) {
                    ltv30 = ltv30.add(l.revenue());
                }
            }
        }
        return Map.of("ltv", ltv, "ltv_30d", ltv30, "orders", (long) orderIds.size(), "first_order_date", first.toString());
    }

    /** Cohort month -> [size, active in month +1, +2, ...] as counts. */
    Map<LocalDate, long[]> cohorts(LocalDate lastMonth) {
        Map<String, LocalDate> first = firstOrderDates();
        Map<String, Set<LocalDate>> active = new HashMap<>();
        for (Line l : qualifyingLines()) {
            Order o = order(l);
            active.computeIfAbsent(o.customerId(), c -> new HashSet<>()).add(o.date().withDayOfMonth(1));
        }
        Map<LocalDate, long[]> out = new TreeMap<>();
        first.forEach((customer, date) -> {
            LocalDate cohort = date.withDayOfMonth(1);
            long[] counts = out.computeIfAbsent(cohort, m -> new long[(int) ChronoUnit.MONTHS.between(m, lastMonth) + 1]);
            for (LocalDate month : active.get(customer)) {
                counts[(int) ChronoUnit.MONTHS.between(cohort, month)]++;
            }
        });
        return out;
    }
}
