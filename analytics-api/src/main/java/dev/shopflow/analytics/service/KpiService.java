package dev.shopflow.analytics.service;

import dev.shopflow.analytics.domain.KpiAnswers.CategoryRevenue;
import dev.shopflow.analytics.domain.KpiAnswers.ChannelRevenue;
import dev.shopflow.analytics.domain.KpiAnswers.Cohorts;
import dev.shopflow.analytics.domain.KpiAnswers.Customer;
import dev.shopflow.analytics.domain.KpiAnswers.CustomerLtv;
import dev.shopflow.analytics.domain.KpiAnswers.Geography;
import dev.shopflow.analytics.domain.KpiAnswers.PaymentMethods;
import dev.shopflow.analytics.domain.KpiAnswers.RevenueSeries;
import dev.shopflow.analytics.domain.KpiAnswers.RfmSegments;
import dev.shopflow.analytics.domain.KpiAnswers.Summary;
import dev.shopflow.analytics.domain.KpiAnswers.TopProducts;
import dev.shopflow.analytics.domain.KpiAnswers.Weekday;
import dev.shopflow.analytics.persistence.PublishedVersion;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.function.Function;

/**
 * KPI answers per docs/contract.md section 3: from the version prepared in memory when there is one
 * ({@link PreparedKpis}), else by SQL ({@link SqlKpis}); both give the same answers. (Answers are
 * cached by KpiResource, per version and request.)
 */
@ApplicationScoped
public class KpiService {

    public static final String CACHE = "kpis";

    private final SqlKpis sql;
    private final PublishedVersions versions;

    KpiService(SqlKpis sql, PublishedVersions versions) {
        this.sql = sql;
        this.versions = versions;
    }

    public Summary summary(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        return answer(v, p -> p.summary(v, from, to), () -> sql.summary(v, from, to));
    }

    public RevenueSeries revenue(PublishedVersion v, LocalDate from, LocalDate to, String granularity, String category)
            throws SQLException {
        return answer(v, p -> p.revenue(v, from, to, granularity, category), () -> sql.revenue(v, from, to, granularity, category));
    }

    public CategoryRevenue revenueByCategory(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        return answer(v, p -> p.revenueByCategory(v, from, to), () -> sql.revenueByCategory(v, from, to));
    }

    public ChannelRevenue revenueByChannel(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        return answer(v, p -> p.revenueByChannel(v, from, to), () -> sql.revenueByChannel(v, from, to));
    }

    public TopProducts topProducts(PublishedVersion v, LocalDate from, LocalDate to, String by, int limit, int offset)
            throws SQLException {
        return answer(v, p -> p.topProducts(v, from, to, by, limit, offset), () -> sql.topProducts(v, from, to, by, limit, offset));
    }

    public Customer customer(PublishedVersion v, String customerId) throws SQLException {
        return answer(v, p -> p.customer(v, customerId), () -> sql.customer(v, customerId));
    }

    public CustomerLtv customerLtv(PublishedVersion v, String order, int limit, int offset) throws SQLException {
        return answer(v, p -> p.customerLtv(v, order, limit, offset), () -> sql.customerLtv(v, order, limit, offset));
    }

    public RfmSegments rfmSegments(PublishedVersion v, LocalDate asOf) throws SQLException {
        return answer(v, p -> p.rfmSegments(v, asOf), () -> sql.rfmSegments(v, asOf));
    }

    public Cohorts cohorts(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        return answer(v, p -> p.cohorts(v, from, to), () -> sql.cohorts(v, from, to));
    }

    public PaymentMethods paymentMethods(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        return answer(v, p -> p.paymentMethods(v, from, to), () -> sql.paymentMethods(v, from, to));
    }

    public Geography geography(PublishedVersion v, LocalDate from, LocalDate to, String level) throws SQLException {
        return answer(v, p -> p.geography(v, from, to, level), () -> sql.geography(v, from, to, level));
    }

    public Weekday weekday(PublishedVersion v, LocalDate from, LocalDate to) throws SQLException {
        return answer(v, p -> p.weekday(v, from, to), () -> sql.weekday(v, from, to));
    }

    /** From the prepared version when {@code v} is the one held in memory, else by SQL. */
    private <T> T answer(PublishedVersion v, Function<PreparedKpis, T> fromMemory, SqlAnswer<T> bySql) throws SQLException {
        PreparedKpis prepared = versions.prepared(v);
        return prepared != null ? fromMemory.apply(prepared) : bySql.get();
    }

    @FunctionalInterface
    private interface SqlAnswer<T> {
        T get() throws SQLException;
    }

    /** Carries a SQLException through a cache loader. */
    public static final class UncheckedSqlException extends RuntimeException {
        public UncheckedSqlException(SQLException cause) {
            super(cause);
        }
    }
}
