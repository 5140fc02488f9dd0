package dev.shopflow.analytics.persistence;

import dev.shopflow.common.db.SqlScript;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads KPIs from the published marts only; every query is pinned to one version. */
@ApplicationScoped
public class KpiRepository {

    private static final String SUMMARY = SqlScript.load("sql/summary.sql").get(0);
    private static final String REVENUE_SERIES = SqlScript.load("sql/revenue_series.sql").get(0);

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
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SUMMARY)) {
            for (int i = 0; i < 3; i++) {
                ps.setLong(i * 3 + 1, version);
                ps.setDate(i * 3 + 2, Date.valueOf(from));
                ps.setDate(i * 3 + 3, Date.valueOf(to));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new SummaryRow(rs.getBigDecimal(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6));
            }
        }
    }

    public List<PeriodRow> revenueSeries(long version, LocalDate from, LocalDate to, String granularity, String category)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(REVENUE_SERIES)) {
            int i = 1;
            ps.setString(i++, granularity);
            ps.setDate(i++, Date.valueOf(from));
            ps.setDate(i++, Date.valueOf(to));
            ps.setString(i++, granularity);
            for (int part = 0; part < 2; part++) {
                ps.setString(i++, granularity);
                ps.setLong(i++, version);
                ps.setDate(i++, Date.valueOf(from));
                ps.setDate(i++, Date.valueOf(to));
                ps.setString(i++, category);
            }
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
