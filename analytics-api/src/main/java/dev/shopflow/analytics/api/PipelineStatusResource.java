package dev.shopflow.analytics.api;

import dev.shopflow.analytics.service.PipelineViews;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/pipeline/status")
@Produces(MediaType.APPLICATION_JSON)
public class PipelineStatusResource {

    private final PipelineViews views;

    PipelineStatusResource(PipelineViews views) {
        this.views = views;
    }

    @GET
    @Operation(summary = "Latest batches per entity, pending batches, last transform run and audit, "
            + "published version, watermark and data freshness")
    public Map<String, Object> status() throws SQLException {
        return views.status();
    }
}
