package dev.shopflow.generator.client;

import dev.shopflow.common.client.PeerAnswers;
import dev.shopflow.common.client.ServiceCredentialsFilter;
import dev.shopflow.common.wire.BatchReport;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

@RegisterRestClient(configKey = "ingestion")
@RegisterProvider(ServiceCredentialsFilter.class)
@RegisterProvider(PeerAnswers.class)
@Path("/api/v1/batches")
interface IngestionRestClient {

    @POST
    @Path("/{entity}")
    @Consumes("application/x-ndjson")
    @Produces(MediaType.APPLICATION_JSON)
    BatchReport push(@PathParam("entity") String entity, @HeaderParam("Idempotency-Key") String idempotencyKey,
            String ndjson);
}
