package dev.shopflow.analytics.service;

import dev.shopflow.analytics.persistence.KpiRepository;
import dev.shopflow.analytics.persistence.PublishedVersion;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** KPI answers per CONTRACT.md section 3: money to 2 decimals, rates to 4, as_of and version in each. */
@ApplicationScoped
public class KpiService {

    private final KpiRepository repository;

    KpiService(KpiRepository repository) {
        this.repository = repository;
    }

    public Map<String, Object> summary(LocalDate from, LocalDate to) throws SQLException {
        PublishedVersion v = published();
        KpiRepository.SummaryRow s = repository.summary(v.version(), from, to);
        Map<String, Object> body = envelope(v, from, to);
        body.put("revenue", money(s.revenue()));
        body.put("orders", s.orders());
        body.put("units", s.units());
        body.put("aov", s.orders() == 0 ? null : money(s.revenue().divide(BigDecimal.valueOf(s.orders()), 2, RoundingMode.HALF_UP)));
        body.put("customers", s.customers());
        body.put("new_customers", s.newCustomers());
        body.put("repeat_customer_rate", s.customers() == 0 ? null
                : BigDecimal.valueOf(s.repeatCustomers()).divide(BigDecimal.valueOf(s.customers()), 4, RoundingMode.HALF_UP));
        return body;
    }

    public Map<String, Object> revenue(LocalDate from, LocalDate to, String granularity, String category)
            throws SQLException {
        PublishedVersion v = published();
        List<Map<String, Object>> items = repository.revenueSeries(v.version(), from, to, granularity, category).stream()
                .map(r -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("period", r.period());
                    row.put("revenue", money(r.revenue()));
                    row.put("orders", r.orders());
                    row.put("units", r.units());
                    row.put("aov", r.orders() == 0 ? null
                            : r.revenue().divide(BigDecimal.valueOf(r.orders()), 2, RoundingMode.HALF_UP));
                    return row;
                }).toList();
        Map<String, Object> body = envelope(v, from, to);
        body.put("granularity", granularity);
        body.put("category", category);
        body.put("items", items);
        return body;
    }

    private PublishedVersion published() throws SQLException {
        return repository.publishedVersion().orElseThrow(() -> new ProblemException(Problem.of(
                Response.Status.SERVICE_UNAVAILABLE, "not-yet-published",
                "No mart version has been published yet; run a generation or ingest data, then retry")));
    }

    private static Map<String, Object> envelope(PublishedVersion v, LocalDate from, LocalDate to) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("as_of", v.asOf());
        body.put("version", v.version());
        body.put("from", from);
        body.put("to", to);
        return body;
    }

    private static BigDecimal money(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_UP);
    }
}
