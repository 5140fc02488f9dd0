package dev.shopflow.ingestion.client;

import dev.shopflow.common.client.PeerAnswers;
import dev.shopflow.common.client.ServiceCredentialsFilter;
import dev.shopflow.common.wire.TransformRunRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

@RegisterRestClient(configKey = "transform")
@RegisterProvider(ServiceCredentialsFilter.class)
@RegisterProvider(PeerAnswers.class)
@Path("/api/v1/transform-runs")
interface TransformRestClient {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Response start(TransformRunRequest request);
}
