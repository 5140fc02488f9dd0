package dev.shopflow.analytics.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.analytics.config.AnalyticsConfig;
import dev.shopflow.analytics.domain.KpiAnswers;
import dev.shopflow.analytics.persistence.PublishedVersion;
import dev.shopflow.analytics.service.AnswerCache;
import dev.shopflow.analytics.service.KpiService;
import dev.shopflow.analytics.service.PublishedVersions;
import dev.shopflow.common.api.QueryLimits;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Variant;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The KPIs of docs/contract.md section 2, read from the published marts. Every answer carries an ETag of
 * the published version and the request: a client (or a dashboard's proxy) revalidating with
 * If-None-Match gets 304 without a query until the next publish.
 */
@Path("/api/v1/kpis")
@Produces({MediaType.APPLICATION_JSON, CsvAnswer.MEDIA_TYPE})
@APIResponse(responseCode = "400", description = "A parameter is missing or invalid (problem+json naming it)")
@APIResponse(responseCode = "304", description = "Not modified: the If-None-Match ETag is still current")
@APIResponse(responseCode = "503", description = "Nothing published yet, or the database is unavailable")
public class KpiResource {

    static final String DATE = "\\d{4}-\\d{2}-\\d{2}";
    static final String MONTH = "\\d{4}-\\d{2}(-\\d{2})?";
    static final String DATE_MESSAGE = "must be a date YYYY-MM-DD";
    /** A string, not an int: a limit like "abc" must be a 400 naming it, not JAX-RS's 404 for unconvertible parameters. */
    static final String LIMIT_MESSAGE = QueryLimits.MESSAGE;
    static final String OFFSET_MESSAGE = "must be a whole number between 0 and 1000000";
    static final String VERSION_HEADER = "X-ShopFlow-Version";
    static final String AS_OF_HEADER = "X-ShopFlow-As-Of";
    private static final MediaType CSV = MediaType.valueOf(CsvAnswer.MEDIA_TYPE);
    private static final MediaType CSV_UTF8 = CSV.withCharset("UTF-8");
    private static final List<Variant> VARIANTS = Variant.mediaTypes(MediaType.APPLICATION_JSON_TYPE, CSV).build();

    /** The request's headers (If-None-Match is compared weakly here: RFC 9110 section 13.1.2). */
    @Context
    jakarta.ws.rs.core.HttpHeaders headers;

    private final KpiService kpis;
    private final PublishedVersions versions;
    private final AnswerCache cache;
    private final ObjectMapper json;
    private final CacheControl cacheControl = new CacheControl();

    KpiResource(KpiService kpis, PublishedVersions versions, AnswerCache cache, ObjectMapper json, AnalyticsConfig config) {
        this.kpis = kpis;
        this.json = json;
        this.cache = cache;
        this.versions = versions;
        cacheControl.setMaxAge(config.maxAge());
        cacheControl.setNoTransform(false);
    }

    /**
     * Answers for the current version: 304 when the client's ETag is current, else from the cache of
     * answers (keyed by version and request, so one of an older version is never served) or computed.
     */
    private Response answer(Request request, UriInfo uri, Answer answer) throws SQLException {
        boolean csv = wantsCsv(request, uri);
        PublishedVersion v = versions.current();
        String query = uri.getRequestUri().getRawQuery();
        String key = "v" + v.version() + (csv ? " csv " : " ") + uri.getPath() + (query == null ? "" : "?" + query);
        EntityTag tag = new EntityTag("v" + v.version() + "-" + Integer.toHexString(key.hashCode()));
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        if (notModified == null && weaklyMatches(headers == null ? null : headers.getHeaderString("If-None-Match"), tag)) {
            notModified = Response.notModified(tag);
        }
        if (notModified != null) {
            return notModified.cacheControl(cacheControl).header("Vary", "Accept").build();
        }
        byte[] body;
        try {
            // the serialized answer is what is cached: a hit costs no serialization
            body = cache.get(key, () -> {
                try {
                    Object computed = AnswerBounds.check(answer.compute(v));
                    return csv ? CsvAnswer.write(computed, json) : json.writeValueAsBytes(computed);
                } catch (SQLException e) {
                    throw new KpiService.UncheckedSqlException(e);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (KpiService.UncheckedSqlException e) {
            throw (SQLException) e.getCause();
        }
        Response.ResponseBuilder ok = Response.ok(body, csv ? CSV_UTF8 : MediaType.APPLICATION_JSON_TYPE).tag(tag)
                .cacheControl(cacheControl).header("Vary", "Accept");
        if (csv) {
            // CSV has no envelope: the version and its watermark travel as headers
            ok.header(VERSION_HEADER, v.version()).header(AS_OF_HEADER, v.asOf());
        }
        return ok.build();
    }

    /** {@code ?format=csv|json} wins; otherwise the Accept header, JSON when it allows both or names neither. */
    private static boolean wantsCsv(Request request, UriInfo uri) {
        String format = uri.getQueryParameters().getFirst("format");
        if (format != null) {
            if (!format.equals("csv") && !format.equals("json")) {
                throw new ProblemException(Problem.validation(List.of(new Problem.FieldError("format", "must be one of csv, json"))));
            }
            return format.equals("csv");
        }
        Variant chosen = request.selectVariant(VARIANTS);
        if (chosen == null) {
            // the Accept header rules out both (text/csv;q=0, application/json;q=0, or only other types)
            throw new ProblemException(Problem.of(Response.Status.NOT_ACCEPTABLE, "not-acceptable",
                    "This answer is application/json or text/csv; the Accept header allows neither"));
        }
        return chosen.getMediaType().isCompatible(CSV);
    }

    /**
     * If-None-Match compares entity tags weakly (RFC 9110 section 13.1.2): W/"x" matches "x"; {@code *}
     * matches any current answer.
     */
    static boolean weaklyMatches(String ifNoneMatch, EntityTag tag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String t = candidate.strip();
            if (t.equals("*")) {
                return true;
            }
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") && t.substring(1, t.length() - 1).equals(tag.getValue())) {
                return true;
            }
        }
        return false;
    }

    @FunctionalInterface
    interface Answer {
        Object compute(PublishedVersion v) throws SQLException;
    }

    @GET
    @Path("/summary")
    @Operation(summary = "Headline KPIs of a date range",
            description = "revenue, orders, units, aov, customers, new_customers, repeat_customer_rate of qualifying "
                    + "orders (paid, shipped, delivered) dated by order_ts in UTC; from/to inclusive.")
    @APIResponse(responseCode = "200", description = "The figures", content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KpiAnswers.Summary.class),
                    examples = @ExampleObject(name = "january", value = "{\"as_of\":\"2025-02-01T02:00:00Z\",\"version\":42,"
                    + "\"from\":\"2025-01-01\",\"to\":\"2025-01-31\",\"revenue\":1448116.10,\"orders\":15150,\"units\":40112,"
                    + "\"aov\":95.59,\"customers\":9120,\"new_customers\":3011,\"repeat_customer_rate\":0.3102}")))
    public Response summary(@Context Request request, @Context UriInfo uri,
            @Parameter(description = "First day, YYYY-MM-DD", example = "2025-01-01")
            @QueryParam("from") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String from,
            @Parameter(description = "Last day (inclusive), YYYY-MM-DD", example = "2025-01-31")
            @QueryParam("to") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String to) throws SQLException {
        KpiParams.Range r = KpiParams.range(from, to);
        return answer(request, uri, v -> kpis.summary(v, r.from(), r.to()));
    }

    @GET
    @Path("/revenue")
    @Operation(summary = "Revenue series by day, ISO week (labelled by its Monday) or month, optionally of one category",
            description = "Every period of the range appears, with zeros where nothing qualified. With a category, the "
                    + "lines whose product was in that category at the order time.")
    @APIResponse(responseCode = "200", description = "{period, revenue, orders, units, aov} per period",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KpiAnswers.RevenueSeries.class),
                    examples = @ExampleObject(name = "weeks", value =
                    "{\"as_of\":\"2025-02-01T02:00:00Z\",\"version\":42,\"from\":\"2025-01-06\",\"to\":\"2025-01-19\","
                    + "\"granularity\":\"week\",\"category\":null,\"items\":[{\"period\":\"2025-01-06\",\"revenue\":330120.55,"
                    + "\"orders\":3390,\"units\":9012,\"aov\":97.38},{\"period\":\"2025-01-13\",\"revenue\":341003.10,"
                    + "\"orders\":3502,\"units\":9321,\"aov\":97.38}]}")))
    public Response revenue(@Context Request request, @Context UriInfo uri,
            @Parameter(example = "2025-01-01") @QueryParam("from") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String from,
            @Parameter(example = "2025-03-31") @QueryParam("to") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String to,
            @Parameter(description = "day, week or month", schema = @Schema(type = SchemaType.STRING, enumeration = {"day", "week", "month"}))
            @QueryParam("granularity") @DefaultValue("day")
            @Pattern(regexp = "day|week|month", message = "must be one of day, week, month") String granularity,
            @Parameter(description = "Product category as of the order", example = "toys")
            @QueryParam("category") @Size(max = 100) String category) throws SQLException {
        KpiParams.Range r = KpiParams.range(from, to);
        AnswerBounds.periods(r.from(), r.to(), granularity);
        String c = category == null || category.isBlank() ? null : category;
        return answer(request, uri, v -> kpis.revenue(v, r.from(), r.to(), granularity, c));
    }

    @GET
    @Path("/revenue-by-category")
    @Operation(summary = "Revenue, orders, units and share of revenue per category (as of each order), by revenue")
    @APIResponse(responseCode = "200", description = "{category, revenue, orders, units, share}",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KpiAnswers.CategoryRevenue.class),
                    examples = @ExampleObject(name = "q1", value =
                    "{\"as_of\":\"2025-04-01T02:00:00Z\",\"version\":42,\"from\":\"2025-01-01\",\"to\":\"2025-03-31\","
                    + "\"items\":[{\"category\":\"electronics\",\"revenue\":912000.10,\"orders\":5012,\"units\":7001,"
                    + "\"share\":0.3120}]}")))
    public Response revenueByCategory(@Context Request request, @Context UriInfo uri,
            @Parameter(example = "2025-01-01") @QueryParam("from") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String from,
            @Parameter(example = "2025-03-31") @QueryParam("to") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String to)
            throws SQLException {
        KpiParams.Range r = KpiParams.range(from, to);
        return answer(request, uri, v -> kpis.revenueByCategory(v, r.from(), r.to()));
    }

    @GET
    @Path("/revenue-by-channel")
    @Operation(summary = "Revenue, orders, units and share of revenue per sales channel, by revenue")
    @APIResponse(responseCode = "200", description = "{channel, revenue, orders, units, share}",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KpiAnswers.ChannelRevenue.class),
                    examples = @ExampleObject(name = "q1", value =
                    "{\"as_of\":\"2025-04-01T02:00:00Z\",\"version\":42,\"from\":\"2025-01-01\",\"to\":\"2025-03-31\","
                    + "\"items\":[{\"channel\":\"web\",\"revenue\":1512000.10,\"orders\":8012,\"units\":11001,"
                    + "\"share\":0.5120}]}")))
    public Response revenueByChannel(@Context Request request, @Context UriInfo uri,
            @Parameter(example = "2025-01-01") @QueryParam("from") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String from,
            @Parameter(example = "2025-03-31") @QueryParam("to") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String to)
            throws SQLException {
        KpiParams.Range r = KpiParams.range(from, to);
        return answer(request, uri, v -> kpis.revenueByChannel(v, r.from(), r.to()));
    }

    @GET
    @Path("/top-products")
    @Operation(summary = "Top products by revenue or units, with their current name and category")
    @APIResponse(responseCode = "200", description = "{rank, product_id, name, category, revenue, units}",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KpiAnswers.TopProducts.class),
                    examples = @ExampleObject(name = "top3", value =
                    "{\"as_of\":\"2025-04-01T02:00:00Z\",\"version\":42,\"from\":\"2025-01-01\",\"to\":\"2025-03-31\","
                    + "\"by\":\"revenue\",\"items\":[{\"rank\":1,\"product_id\":\"p-0042\",\"name\":\"Kite\","
                    + "\"category\":\"toys\",\"revenue\":12000.50,\"units\":310}]}")))
    public Response topProducts(@Context Request request, @Context UriInfo uri,
            @Parameter(example = "2025-01-01") @QueryParam("from") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String from,
            @Parameter(example = "2025-03-31") @QueryParam("to") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String to,
            @Parameter(description = "revenue or units", schema = @Schema(type = SchemaType.STRING, enumeration = {"revenue", "units"}))
            @QueryParam("by") @DefaultValue("revenue") @Pattern(regexp = "revenue|units", message = "must be one of revenue, units") String by,
            @Parameter(description = "1-1000", example = "10")
            @QueryParam("limit") @DefaultValue("10") @Pattern(regexp = QueryLimits.DIGITS, message = LIMIT_MESSAGE)
            @Min(value = 1, message = LIMIT_MESSAGE) @Max(value = QueryLimits.MAX, message = LIMIT_MESSAGE) String limit,
            @Parameter(description = "rows to skip, 0-1000000 (total in the answer says how many there are)", example = "0")
            @QueryParam("offset") @DefaultValue("0") @Pattern(regexp = "\\d{1,9}", message = OFFSET_MESSAGE)
            @Max(value = 1_000_000, message = OFFSET_MESSAGE) String offset) throws SQLException {
        KpiParams.Range r = KpiParams.range(from, to);
        int n = Integer.parseInt(limit);
        int skip = Integer.parseInt(offset);
        return answer(request, uri, v -> kpis.topProducts(v, r.from(), r.to(), by, n, skip));
    }

    @GET
    @Path("/customers/{customer_id}")
    @Operation(summary = "A customer's ltv, ltv_30d, orders, first and last order dates and RFM segment",
            description = "404 when the customer has no qualifying order in the published version.")
    @APIResponse(responseCode = "200", description = "The customer", content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KpiAnswers.Customer.class),
                    examples = @ExampleObject(name = "customer", value = "{\"as_of\":\"2025-04-01T02:00:00Z\",\"version\":42,"
                    + "\"customer_id\":\"c-000123\",\"ltv\":1250.40,\"ltv_30d\":310.00,\"orders\":7,"
                    + "\"first_order_date\":\"2025-01-04\",\"last_order_date\":\"2025-03-28\",\"rfm\":{\"segment\":\"champions\","
                    + "\"recency_days\":3,\"r\":5,\"f\":5,\"m\":5,\"as_of\":\"2025-03-31\"}}")))
    @APIResponse(responseCode = "404", description = "Unknown customer")
    public Response customer(@Context Request request, @Context UriInfo uri,
            @PathParam("customer_id") @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}", message = "must be 1-64 characters of A-Z a-z 0-9 _ . -")
            String customerId) throws SQLException {
        return answer(request, uri, v -> kpis.customer(v, customerId));
    }

    @GET
    @Path("/customer-ltv")
    @Operation(summary = "Customers ranked by lifetime revenue (ltv)")
    @APIResponse(responseCode = "200", description = "{customer_id, ltv, ltv_30d, orders, first_order_date, last_order_date}",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KpiAnswers.CustomerLtv.class),
                    examples = @ExampleObject(name = "top", value =
                    "{\"as_of\":\"2025-04-01T02:00:00Z\",\"version\":42,\"order\":\"desc\",\"items\":[{\"customer_id\":\"c-000123\","
                    + "\"ltv\":1250.40,\"ltv_30d\":310.00,\"orders\":7,\"first_order_date\":\"2025-01-04\","
                    + "\"last_order_date\":\"2025-03-28\"}]}")))
    public Response customerLtv(@Context Request request, @Context UriInfo uri,
            @Parameter(description = "1-1000", example = "10")
            @QueryParam("limit") @DefaultValue("10") @Pattern(regexp = QueryLimits.DIGITS, message = LIMIT_MESSAGE)
            @Min(value = 1, message = LIMIT_MESSAGE) @Max(value = QueryLimits.MAX, message = LIMIT_MESSAGE) String limit,
            @Parameter(description = "desc (highest first) or asc", schema = @Schema(type = SchemaType.STRING, enumeration = {"desc", "asc"}))
            @QueryParam("order") @DefaultValue("desc") @Pattern(regexp = "desc|asc", message = "must be one of desc, asc") String order,
            @Parameter(description = "rows to skip, 0-1000000 (total in the answer says how many there are)", example = "0")
            @QueryParam("offset") @DefaultValue("0") @Pattern(regexp = "\\d{1,9}", message = OFFSET_MESSAGE)
            @Max(value = 1_000_000, message = OFFSET_MESSAGE) String offset)
            throws SQLException {
        int n = Integer.parseInt(limit);
        int skip = Integer.parseInt(offset);
        return answer(request, uri, v -> kpis.customerLtv(v, order, n, skip));
    }

    @GET
    @Path("/rfm-segments")
    @Operation(summary = "Customers and revenue per RFM segment",
            description = "Recency from reference_date (default: the latest order date), frequency and monetary up to "
                    + "it, each scored 1-5 by quintile; segments in docs/analytics.md. The answer's as_of is, as everywhere, "
                    + "the published version's watermark (a timestamp); the day used is reference_date.")
    @APIResponse(responseCode = "200", description = "{segment, customers, revenue}", content = @Content(
            mediaType = "application/json",
                    schema = @Schema(implementation = KpiAnswers.RfmSegments.class),
                    examples = @ExampleObject(name = "segments", value = "{\"as_of\":"
                    + "\"2025-04-01T02:00:00Z\",\"version\":42,\"reference_date\":\"2025-03-31\",\"rfm_as_of\":\"2025-03-31\","
                    + "\"items\":[{\"segment\":\"champions\",\"customers\":812,\"revenue\":402112.50}]}")))
    public Response rfmSegments(@Context Request request, @Context UriInfo uri,
            @Parameter(description = "Reference day for recency, YYYY-MM-DD", example = "2025-03-31")
            @QueryParam("reference_date") @Pattern(regexp = DATE, message = DATE_MESSAGE) String referenceDate,
            @Parameter(description = "Deprecated name of reference_date (kept working)", deprecated = true)
            @QueryParam("as_of") @Pattern(regexp = DATE, message = DATE_MESSAGE) String asOf) throws SQLException {
        KpiParams p = new KpiParams();
        LocalDate a = referenceDate != null ? p.date("reference_date", referenceDate)
                : asOf == null ? null : p.date("as_of", asOf);
        p.check();
        return answer(request, uri, v -> kpis.rfmSegments(v, a));
    }

    @GET
    @Path("/cohorts")
    @Operation(summary = "Monthly cohorts (month of the first qualifying order) and their retention",
            description = "retention[k]: share of the cohort with a qualifying order in month cohort + k, up to the latest "
                    + "month with data. from/to: cohort months, YYYY-MM (or any day of the month).")
    @APIResponse(responseCode = "200", description = "{cohort_month, size, retention}", content = @Content(
            mediaType = "application/json",
                    schema = @Schema(implementation = KpiAnswers.Cohorts.class),
                    examples = @ExampleObject(name = "cohorts", value = "{\"as_of\":"
                    + "\"2025-04-01T02:00:00Z\",\"version\":42,\"from\":\"2025-01-01\",\"to\":\"2025-02-01\",\"items\":"
                    + "[{\"cohort_month\":\"2025-01-01\",\"size\":3011,\"retention\":[1.0000,0.2210,0.1830,0.1702]}]}")))
    public Response cohorts(@Context Request request, @Context UriInfo uri,
            @Parameter(example = "2025-01") @QueryParam("from") @NotNull @Pattern(regexp = MONTH, message = "must be a month YYYY-MM") String from,
            @Parameter(example = "2025-06") @QueryParam("to") @NotNull @Pattern(regexp = MONTH, message = "must be a month YYYY-MM") String to)
            throws SQLException {
        KpiParams.Range r = KpiParams.monthRange(from, to);
        return answer(request, uri, v -> kpis.cohorts(v, r.from(), r.to()));
    }

    @GET
    @Path("/payment-methods")
    @Operation(summary = "Captured payment amount, payments and share per method, dated by paid_at (UTC)")
    @APIResponse(responseCode = "200", description = "{method, amount, payments, share}", content = @Content(
            mediaType = "application/json",
                    schema = @Schema(implementation = KpiAnswers.PaymentMethods.class),
                    examples = @ExampleObject(name = "methods", value = "{\"as_of\":"
                    + "\"2025-04-01T02:00:00Z\",\"version\":42,\"from\":\"2025-01-01\",\"to\":\"2025-03-31\",\"items\":"
                    + "[{\"method\":\"credit_card\",\"amount\":812000.00,\"payments\":8120,\"share\":0.5400}]}")))
    public Response paymentMethods(@Context Request request, @Context UriInfo uri,
            @Parameter(example = "2025-01-01") @QueryParam("from") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String from,
            @Parameter(example = "2025-03-31") @QueryParam("to") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String to)
            throws SQLException {
        KpiParams.Range r = KpiParams.range(from, to);
        return answer(request, uri, v -> kpis.paymentMethods(v, r.from(), r.to()));
    }

    @GET
    @Path("/geography")
    @Operation(summary = "Revenue, orders and distinct customers per country (or state), by the customer's address "
            + "as of each order")
    @APIResponse(responseCode = "200", description = "{country, state?, revenue, orders, customers}", content = @Content(
            mediaType = "application/json",
                    schema = @Schema(implementation = KpiAnswers.Geography.class),
                    examples = @ExampleObject(name = "countries", value = "{\"as_of\":"
                    + "\"2025-04-01T02:00:00Z\",\"version\":42,\"from\":\"2025-01-01\",\"to\":\"2025-03-31\",\"level\":"
                    + "\"country\",\"items\":[{\"country\":\"US\",\"revenue\":912000.10,\"orders\":9120,\"customers\":5012}]}")))
    public Response geography(@Context Request request, @Context UriInfo uri,
            @Parameter(example = "2025-01-01") @QueryParam("from") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String from,
            @Parameter(example = "2025-03-31") @QueryParam("to") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String to,
            @Parameter(description = "country or state", schema = @Schema(type = SchemaType.STRING, enumeration = {"country", "state"}))
            @QueryParam("level") @DefaultValue("country") @Pattern(regexp = "country|state", message = "must be one of country, state")
            String level) throws SQLException {
        KpiParams.Range r = KpiParams.range(from, to);
        return answer(request, uri, v -> kpis.geography(v, r.from(), r.to(), level));
    }

    @GET
    @Path("/weekday")
    @Operation(summary = "Revenue and orders per ISO day of week (1 Monday .. 7 Sunday); every day appears")
    @APIResponse(responseCode = "200", description = "{day_of_week, day_name, revenue, orders}", content = @Content(
            mediaType = "application/json",
                    schema = @Schema(implementation = KpiAnswers.Weekday.class),
                    examples = @ExampleObject(name = "weekdays", value = "{\"as_of\":"
                    + "\"2025-04-01T02:00:00Z\",\"version\":42,\"from\":\"2025-01-01\",\"to\":\"2025-03-31\",\"items\":"
                    + "[{\"day_of_week\":1,\"revenue\":120000.00,\"orders\":1200,\"day_name\":\"monday\"}]}")))
    public Response weekday(@Context Request request, @Context UriInfo uri,
            @Parameter(example = "2025-01-01") @QueryParam("from") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String from,
            @Parameter(example = "2025-03-31") @QueryParam("to") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String to)
            throws SQLException {
        KpiParams.Range r = KpiParams.range(from, to);
        return answer(request, uri, v -> kpis.weekday(v, r.from(), r.to()));
    }
}
