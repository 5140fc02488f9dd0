package dev.shopflow.transform.client;

import dev.shopflow.common.client.PeerAnswers;
import dev.shopflow.common.client.ServiceCredentialsFilter;
import dev.shopflow.common.wire.Audit;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

@RegisterRestClient(configKey = "quality")
@RegisterProvider(ServiceCredentialsFilter.class)
@RegisterProvider(PeerAnswers.class)
@Path("/api/v1/check-runs")
interface QualityRestClient {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Audit.CheckRunResult run(Audit.CheckRunRequest request);
}
