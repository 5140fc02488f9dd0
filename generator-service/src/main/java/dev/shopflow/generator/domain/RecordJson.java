package dev.shopflow.generator.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/** The one JSON form of generated records (snake_case, ISO-8601 instants), so every path writes the same bytes. */
public final class RecordJson {

    public static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private RecordJson() {
    }

    /** One NDJSON line (without the newline) of a generated row: a record, a defective map, or a malformed line. */
    public static String line(Object row) {
        if (row instanceof Malformed malformed) {
            return malformed.text();
        }
        try {
            return MAPPER.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Appends rows as NDJSON lines through one reused JSON generator (creating one per row cost a
     * third of generation time). Not thread-safe; one per batch being built.
     */
    public static final class Lines {

        private final java.io.Writer out;
        private final com.fasterxml.jackson.core.JsonGenerator json;

        public Lines(java.io.Writer out) {
            try {
                this.out = out;
                this.json = MAPPER.getFactory().createGenerator(out)
                        .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
                this.json.setRootValueSeparator(null);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public void add(Object row) {
            try {
                if (row instanceof Malformed malformed) {
                    json.writeRaw(malformed.text());
                } else {
                    MAPPER.writeValue(json, row);
                }
                json.writeRaw('\n');
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes out what is buffered; call once after the last row. */
        public void finish() {
            try {
                json.flush();
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A row that is not a record at all (the malformed_line defect), written as is. */
    public record Malformed(String text) {
    }
}
