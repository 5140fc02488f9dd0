package dev.shopflow.analytics.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** quality-service's results history (GET /api/v1/check-results: open, read-only). */
@RegisterRestClient(configKey = "quality")
@Path("/api/v1/check-results")
interface QualityRestClient {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    JsonNode checkResults(@QueryParam("check") String check, @QueryParam("limit") int limit);
}
