package dev.shopflow.common.client;

import dev.shopflow.common.security.ApiCredentials;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Adds the platform's Basic credentials to calls between services (register with @RegisterProvider). */
public class ServiceCredentialsFilter implements ClientRequestFilter {

    @Inject
    ApiCredentials credentials;

    @Override
    public void filter(ClientRequestContext request) {
        String token = Base64.getEncoder().encodeToString(
                (credentials.user() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8));
        request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Basic " + token);
    }
}
