package dev.shopflow.analytics.api;

import dev.shopflow.analytics.service.PipelineViews;
import dev.shopflow.common.api.QueryLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The read-only data behind the console's Pipeline, Quality and Lineage pages (served at /console/). */
@Path("/api/v1/console")
@Produces(MediaType.APPLICATION_JSON)
public class ConsoleResource {

    // limits are strings so that "abc" is a 400 naming the parameter (QueryLimits)
    private static final String RUNS_LIMIT = "limit must be a whole number from 1 to 200";

    private final PipelineViews views;

    ConsoleResource(PipelineViews views) {
        this.views = views;
    }

    @GET
    @Path("/transform-runs")
    @Operation(summary = "The newest transform runs with their steps (rows, duration), audit and published version")
    public Map<String, List<Map<String, Object>>> runs(
            @QueryParam("limit") @DefaultValue("20") @Pattern(regexp = QueryLimits.DIGITS, message = RUNS_LIMIT)
            @Min(value = 1, message = RUNS_LIMIT) @Max(value = 200, message = RUNS_LIMIT) String limit) throws SQLException {
        return Map.of("items", views.transformRuns(Integer.parseInt(limit)));
    }

    @GET
    @Path("/check-results")
    @Operation(summary = "Quality's newest check results with failing-row counts and samples; check= for one check's history")
    public Map<String, Object> checkResults(
            @QueryParam("check") @Pattern(regexp = "[A-Za-z0-9_.-]{1,100}", message = "must be a check name") String check,
            @QueryParam("limit") @DefaultValue("200") @Pattern(regexp = QueryLimits.DIGITS, message = QueryLimits.MESSAGE)
            @Min(value = 1, message = QueryLimits.MESSAGE) @Max(value = QueryLimits.MAX, message = QueryLimits.MESSAGE) String limit) throws SQLException {
        return views.checkResults(check, Integer.parseInt(limit));
    }

    @GET
    @Path("/extent")
    @Operation(summary = "The published version and its first and last day of orders (the console's default range)")
    public Map<String, Object> extent() throws SQLException {
        return views.extent();
    }

    @GET
    @Path("/catalog")
    @Operation(summary = "Tables and views of staging, core, warehouse and marts with columns, comments, what each "
            + "is built from, and the endpoints that read each mart")
    public Map<String, Object> catalog() throws SQLException {
        return views.catalog();
    }
}
