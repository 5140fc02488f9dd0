package dev.shopflow.analytics.api;

import dev.shopflow.analytics.service.KpiService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/kpis")
@Produces(MediaType.APPLICATION_JSON)
public class KpiResource {

    private final KpiService kpis;

    KpiResource(KpiService kpis) {
        this.kpis = kpis;
    }

    @GET
    @Path("/summary")
    @Operation(summary = "Headline KPIs of a date range",
            description = "revenue, orders, units, aov, customers, new_customers, repeat_customer_rate of qualifying "
                    + "orders (paid, shipped, delivered) dated by order_ts in UTC; from/to inclusive.")
    @APIResponse(responseCode = "400", description = "Missing or invalid from/to, or from after to")
    @APIResponse(responseCode = "503", description = "Nothing published yet")
    public Map<String, Object> summary(
            @Parameter(description = "First day, YYYY-MM-DD", example = "2025-01-01") @QueryParam("from") String from,
            @Parameter(description = "Last day (inclusive), YYYY-MM-DD", example = "2025-01-31") @QueryParam("to") String to)
            throws SQLException {
        KpiParams p = new KpiParams();
        LocalDate f = p.date("from", from);
        LocalDate t = p.date("to", to);
        p.range(f, t);
        p.check();
        return kpis.summary(f, t);
    }

    @GET
    @Path("/revenue")
    @Operation(summary = "Revenue series by day, ISO week (Monday) or month, optionally of one category")
    @APIResponse(responseCode = "400", description = "Invalid parameters")
    public Map<String, Object> revenue(@QueryParam("from") String from, @QueryParam("to") String to,
            @Parameter(description = "day, week or month", example = "week") @QueryParam("granularity") String granularity,
            @Parameter(description = "Product category as of the order") @QueryParam("category") String category)
            throws SQLException {
        KpiParams p = new KpiParams();
        LocalDate f = p.date("from", from);
        LocalDate t = p.date("to", to);
        String g = p.oneOf("granularity", granularity, "day", Set.of("day", "week", "month"));
        p.range(f, t);
        p.check();
        return kpis.revenue(f, t, g, category == null || category.isBlank() ? null : category);
    }
}
