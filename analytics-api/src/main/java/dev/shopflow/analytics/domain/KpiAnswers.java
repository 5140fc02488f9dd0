package dev.shopflow.analytics.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answers of the KPI endpoints (docs/contract.md sections 2 and 3): each carries {@code as_of} (the
 * published version's watermark) and {@code version}; list answers put their rows in {@code items}.
 * Money has 2 decimals, rates and shares 4; a ratio of nothing (aov of no orders) is null. The JSON
 * names are snake_case; the properties come out in the order declared here (CSV columns too).
 */
public final class KpiAnswers {

    private KpiAnswers() {
    }

    @Schema(description = "Headline KPIs of a date range")
    public record Summary(@JsonProperty("as_of") Instant asOf, long version, LocalDate from, LocalDate to,
            BigDecimal revenue, long orders, long units,
            @Schema(nullable = true, description = "revenue / orders; null without orders") BigDecimal aov,
            long customers, @JsonProperty("new_customers") long newCustomers,
            @Schema(nullable = true, description = "customers with 2+ orders in the range / customers; null without customers")
            @JsonProperty("repeat_customer_rate") BigDecimal repeatCustomerRate) {
    }

    @Schema(description = "A revenue series: every period of the range, zeros included")
    public record RevenueSeries(@JsonProperty("as_of") Instant asOf, long version, LocalDate from, LocalDate to,
            @Schema(enumeration = {"day", "week", "month"}) String granularity,
            @Schema(nullable = true) String category, List<RevenuePeriod> items) {
    }

    @Schema(description = "One period (labelled by its first day; weeks by their Monday)")
    public record RevenuePeriod(LocalDate period, BigDecimal revenue, long orders, long units,
            @Schema(nullable = true) BigDecimal aov) {
    }

    @Schema(description = "Revenue per category (as of each order), by revenue")
    public record CategoryRevenue(@JsonProperty("as_of") Instant asOf, long version, LocalDate from, LocalDate to,
            List<CategoryShare> items) {
    }

    public record CategoryShare(String category, BigDecimal revenue, long orders, long units,
            @Schema(nullable = true, description = "of the range's revenue") BigDecimal share) {
    }

    @Schema(description = "Revenue per sales channel, by revenue")
    public record ChannelRevenue(@JsonProperty("as_of") Instant asOf, long version, LocalDate from, LocalDate to,
            List<ChannelShare> items) {
    }

    public record ChannelShare(String channel, BigDecimal revenue, long orders, long units,
            @Schema(nullable = true, description = "of the range's revenue") BigDecimal share) {
    }

    @Schema(description = "One page of the products of a range, ranked")
    public record TopProducts(@JsonProperty("as_of") Instant asOf, long version, LocalDate from, LocalDate to,
            @Schema(enumeration = {"revenue", "units"}) String by, int limit, int offset,
            @Schema(description = "products with sales in the range") long total, List<RankedProduct> items) {
    }

    public record RankedProduct(long rank, @JsonProperty("product_id") String productId,
            @Schema(nullable = true, description = "current name") String name,
            @Schema(description = "current category, unknown when the product has not arrived") String category,
            BigDecimal revenue, long units) {
    }

    @Schema(description = "One customer's lifetime figures and RFM scores")
    public record Customer(@JsonProperty("as_of") Instant asOf, long version, @JsonProperty("customer_id") String customerId,
            BigDecimal ltv, @JsonProperty("ltv_30d") BigDecimal ltv30d, long orders,
            @JsonProperty("first_order_date") LocalDate firstOrderDate, @JsonProperty("last_order_date") LocalDate lastOrderDate,
            RfmScores rfm) {
    }

    public record RfmScores(String segment, @JsonProperty("recency_days") long recencyDays, long r, long f, long m,
            @JsonProperty("reference_date") LocalDate referenceDate,
            @Schema(deprecated = true, description = "old name of reference_date") @JsonProperty("as_of") LocalDate asOf) {
    }

    @Schema(description = "One page of customers ranked by ltv")
    public record CustomerLtv(@JsonProperty("as_of") Instant asOf, long version,
            @Schema(enumeration = {"desc", "asc"}) String order, int limit, int offset,
            @Schema(description = "customers of the version") long total, List<CustomerValue> items) {
    }

    public record CustomerValue(@JsonProperty("customer_id") String customerId, BigDecimal ltv,
            @JsonProperty("ltv_30d") BigDecimal ltv30d, long orders, @JsonProperty("first_order_date") LocalDate firstOrderDate,
            @JsonProperty("last_order_date") LocalDate lastOrderDate) {
    }

    @Schema(description = "Customers and revenue per RFM segment, every segment listed")
    public record RfmSegments(@JsonProperty("as_of") Instant asOf, long version,
            @Schema(nullable = true) @JsonProperty("reference_date") LocalDate referenceDate,
            @Schema(deprecated = true, nullable = true, description = "old name of reference_date")
            @JsonProperty("rfm_as_of") LocalDate rfmAsOf, List<SegmentFigures> items) {
    }

    public record SegmentFigures(String segment, long customers, BigDecimal revenue) {
    }

    @Schema(description = "Cohorts by month of first order, with retention")
    public record Cohorts(@JsonProperty("as_of") Instant asOf, long version, LocalDate from, LocalDate to, List<Cohort> items) {
    }

    public record Cohort(@JsonProperty("cohort_month") LocalDate cohortMonth, long size,
            @Schema(description = "retention[k]: share of the cohort with an order in month cohort + k (null for an empty cohort)")
            List<BigDecimal> retention) {
    }

    @Schema(description = "Captured payments per method, by amount")
    public record PaymentMethods(@JsonProperty("as_of") Instant asOf, long version, LocalDate from, LocalDate to,
            List<MethodShare> items) {
    }

    public record MethodShare(String method, BigDecimal amount, long payments,
            @Schema(nullable = true, description = "of the range's amount") BigDecimal share) {
    }

    @Schema(description = "Revenue, orders and customers per country or state (the customer's address as of each order)")
    public record Geography(@JsonProperty("as_of") Instant asOf, long version, LocalDate from, LocalDate to,
            @Schema(enumeration = {"country", "state"}) String level,
            @Schema(oneOf = {CountryFigures.class, StateFigures.class}) List<RegionFigures> items) {
    }

    /** A row of /geography: per country, or per country and state. */
    public sealed interface RegionFigures permits CountryFigures, StateFigures {
    }

    public record CountryFigures(String country, BigDecimal revenue, long orders, long customers) implements RegionFigures {
    }

    public record StateFigures(String country, @Schema(nullable = true, description = "null when none") String state,
            BigDecimal revenue, long orders, long customers) implements RegionFigures {
    }

    @Schema(description = "Revenue and orders per ISO day of week, all seven listed")
    public record Weekday(@JsonProperty("as_of") Instant asOf, long version, LocalDate from, LocalDate to, List<WeekdayFigures> items) {
    }

    public record WeekdayFigures(@JsonProperty("day_of_week") int dayOfWeek, BigDecimal revenue, long orders,
            @JsonProperty("day_name") String dayName) {
    }
}
