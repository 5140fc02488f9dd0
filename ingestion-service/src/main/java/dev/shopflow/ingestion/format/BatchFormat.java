package dev.shopflow.ingestion.format;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.ingestion.domain.RecordSchema;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.Reader;
import java.util.Locale;

/** The body formats ingestion reads (docs/contract.md section 1), chosen by Content-Type. Bodies are UTF-8. */
public enum BatchFormat {
    NDJSON("application/x-ndjson"),
    CSV("text/csv");

    private final String mediaType;

    BatchFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** A reader of this format's records over the decoded body. CSV reads (and checks) its header here. */
    public RowReader open(Reader body, RecordSchema schema) throws IOException {
        return switch (this) {
            case NDJSON -> new NdjsonRowReader(body, schema.fieldNames());
            case CSV -> new CsvRowReader(body, schema);
        };
    }

    public static BatchFormat of(String contentType) {
        String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
        String base = parts[0].strip().toLowerCase(Locale.ROOT);
        BatchFormat format = switch (base) {
            case "application/x-ndjson", "application/ndjson", "application/jsonl" -> NDJSON;
            case "text/csv" -> CSV;
            default -> throw unsupported("Send batches as application/x-ndjson or text/csv; got '" + contentType + "'");
        };
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param.length == 2 && param[0].strip().equalsIgnoreCase("charset")) {
                String charset = param[1].strip().replace("\"", "").toLowerCase(Locale.ROOT);
                if (!charset.equals("utf-8") && !charset.equals("utf8") && !charset.equals("us-ascii")) {
                    throw unsupported("Batches must be UTF-8; got charset " + charset);
                }
            }
        }
        return format;
    }

    private static ProblemException unsupported(String detail) {
        return new ProblemException(Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", detail));
    }
}
