package dev.shopflow.common.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document, the body of every 4xx/5xx ShopFlow answers.
 * {@code errors} lists validation failures per field; it is omitted when empty.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors,
        @JsonIgnore Map<String, Object> extensions) {

    public Problem(String type, String title, int status, String detail, List<FieldError> errors) {
        this(type, title, status, detail, errors, Map.of());
    }

    /** RFC 9457 extension members, serialized beside the standard ones. */
    @JsonAnyGetter
    public Map<String, Object> extensionMembers() {
        return extensions;
    }

    public Problem with(Map<String, Object> members) {
        return new Problem(type, title, status, detail, errors, Map.copyOf(members));
    }


    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);
    private static final String TYPE_BASE = "https://shopflow.dev/problems/";

    public record FieldError(String field, String message) {
    }

    /** 422 (RFC 9110), which JAX-RS's Status enum lacks: a well-formed request the server will not act on. */
    public static final Response.StatusType UNPROCESSABLE_CONTENT = new Response.StatusType() {
        @Override
        public int getStatusCode() {
            return 422;
        }

        @Override
        public Response.Status.Family getFamily() {
            return Response.Status.Family.CLIENT_ERROR;
        }

        @Override
        public String getReasonPhrase() {
            return "Unprocessable Content";
        }
    };

    public static Problem of(Response.StatusType status, String slug, String detail) {
        return new Problem(TYPE_BASE + slug, status.getReasonPhrase(), status.getStatusCode(), detail, null);
    }

    public static Problem validation(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).message() : errors.size() + " parameters are invalid";
        return new Problem(TYPE_BASE + "validation", "Bad Request", 400, detail, List.copyOf(errors));
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA).entity(this).build();
    }
}
