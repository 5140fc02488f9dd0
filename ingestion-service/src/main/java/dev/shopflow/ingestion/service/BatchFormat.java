package dev.shopflow.ingestion.service;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import jakarta.ws.rs.core.Response;
import java.util.Locale;

/** The body formats ingestion reads. */
enum BatchFormat {
    NDJSON("application/x-ndjson");

    private final String mediaType;

    BatchFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    String mediaType() {
        return mediaType;
    }

    static BatchFormat of(String contentType) {
        String base = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (base.equals("application/x-ndjson") || base.equals("application/ndjson")) {
            return NDJSON;
        }
        throw new ProblemException(Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                "Send batches as application/x-ndjson; got '" + contentType + "'"));
    }
}
