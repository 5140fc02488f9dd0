package dev.shopflow.common.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Turns a peer's error answer into what a caller's fault tolerance needs to know (register with
 * {@code @RegisterProvider}): {@link PeerRefusedException} for a final answer (retry with
 * {@code abortOn} it), {@link PeerUnavailableException} for one that may change. Connection
 * failures and timeouts stay the client's own exceptions, retried like the latter.
 */
public class PeerAnswers implements ResponseExceptionMapper<RuntimeException> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public RuntimeException toThrowable(Response response) {
        int status = response.getStatus();
        String title = null;
        String detail = null;
        try {
            if (response.hasEntity()) {
                String body = response.readEntity(String.class);
                JsonNode problem = JSON.readTree(body);
                title = text(problem, "title");
                detail = text(problem, "detail");
                if (detail == null && problem.has("errors")) {
                    detail = problem.get("errors").toString();
                }
            }
        } catch (RuntimeException | java.io.IOException e) {
            // not problem+json: the status says enough
        }
        if (isFinal(status)) {
            return new PeerRefusedException(status, title, detail);
        }
        return new PeerUnavailableException(status, "answered " + status + (title == null ? "" : " " + title)
                + (detail == null ? "" : ": " + detail));
    }

    /** 4xx but 408 (timeout) and 429 (too many requests) will not change on a retry. */
    public static boolean isFinal(int status) {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
