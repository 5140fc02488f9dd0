package dev.shopflow.ingestion.format;

import java.io.IOException;

/** Streams the records of one batch body, one at a time, in constant memory. */
public interface RowReader {

    /** Longest record accepted, in characters; a longer one makes the request a 400. */
    int MAX_RECORD_CHARS = 1 << 20;

    /** @return the next non-blank record, or null at the end of the body */
    SourceRow next() throws IOException;

    /** Distinct field or column names outside the schema seen so far. */
    int unknownFields();
}
