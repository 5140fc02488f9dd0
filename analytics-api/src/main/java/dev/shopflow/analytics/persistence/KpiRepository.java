package dev.shopflow.analytics.persistence;

import dev.shopflow.common.db.NamedSql;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads KPIs from the published marts only; every query is pinned to one version. */
@ApplicationScoped
public class KpiRepository {

    private static final NamedSql SUMMARY = NamedSql.load("sql/summary.sql");
    private static final NamedSql REVENUE_SERIES = NamedSql.load("sql/revenue_series.sql");

    public record SummaryRow(BigDecimal revenue, long orders, long units, long customers, long newCustomers,
            long repeatCustomers) {
    }

    public record PeriodRow(LocalDate period, BigDecimal revenue, long orders, long units) {
    }

    private final DataSource dataSource;

    KpiRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<PublishedVersion> publishedVersion() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT version, watermark FROM pipeline.published_version ORDER BY version DESC LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new PublishedVersion(rs.getLong(1),
                    rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant()));
        }
    }

    public SummaryRow summary(long version, LocalDate from, LocalDate to) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SUMMARY.sql())) {
            SUMMARY.bind(ps, Map.of("version", version, "from", from, "to", to));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new SummaryRow(rs.getBigDecimal(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6));
            }
        }
    }

    public List<PeriodRow> revenueSeries(long version, LocalDate from, LocalDate to, String granularity, String category)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(REVENUE_SERIES.sql())) {
            Map<String, Object> values = new HashMap<>();
            values.put("granularity", granularity);
            values.put("version", version);
            values.put("from", from);
            values.put("to", to);
            values.put("category", category);
            REVENUE_SERIES.bind(ps, values);
            List<PeriodRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new PeriodRow(rs.getDate(1).toLocalDate(), rs.getBigDecimal(2), rs.getLong(3), rs.getLong(4)));
                }
            }
            return rows;
        }
    }
}
