package dev.shopflow.ingestion.persistence;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/** Writes rows in PostgreSQL's COPY CSV format, to a COPY ... FROM STDIN or to a file replayed into one later. */
final class CopyCsvWriter implements Closeable {

    private final Writer out;
    private boolean firstField = true;

    private CopyCsvWriter(OutputStream out) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }

    /** Starts {@code copySql} (a COPY ... FROM STDIN (FORMAT csv)) on the connection. */
    static CopyCsvWriter copyIn(Connection connection, String copySql) throws SQLException {
        return new CopyCsvWriter(new PGCopyOutputStream(connection.unwrap(PGConnection.class), copySql, 1 << 16));
    }

    static CopyCsvWriter to(OutputStream out) {
        return new CopyCsvWriter(out);
    }

    /** A field: empty for null (SQL NULL), otherwise quoted with doubled quotes (so "" is an empty string). */
    CopyCsvWriter field(String value) {
        try {
            if (!firstField) {
                out.write(',');
            }
            firstField = false;
            if (value == null) {
                return this;
            }
            out.write('"');
            int from = 0;
            for (int i = value.indexOf('"'); i >= 0; i = value.indexOf('"', i + 1)) {
                out.write(value, from, i + 1 - from);
                out.write('"');
                from = i + 1;
            }
            out.write(value, from, value.length() - from);
            out.write('"');
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CopyCsvWriter fields(String[] values) {
        for (String value : values) {
            field(value);
        }
        return this;
    }

    void endRow() {
        try {
            out.write('\n');
            firstField = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the COPY (or the file); for a COPY this is where PostgreSQL reports a failed row. */
    @Override
    public void close() throws IOException {
        out.close();
    }
}
