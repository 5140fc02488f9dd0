package dev.shopflow.ingestion.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.wire.Entity;
import dev.shopflow.ingestion.domain.FieldSpec;
import dev.shopflow.ingestion.domain.FieldType;
import dev.shopflow.ingestion.domain.RawValue;
import dev.shopflow.ingestion.domain.RecordSchema;
import dev.shopflow.ingestion.domain.RowValidator;
import dev.shopflow.ingestion.domain.StorableText;
import dev.shopflow.ingestion.domain.ValidatedRow;
import dev.shopflow.ingestion.format.BatchFormat;
import dev.shopflow.ingestion.format.RowReader;
import dev.shopflow.ingestion.format.SourceRow;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of what reads and judges a client's bytes: the NDJSON and CSV readers and
 * the row validator. Under {@code ./mvnw verify} each test replays its committed seed corpus
 * ({@code src/test/resources/dev/shopflow/ingestion/fuzz/IngestionFuzzTestsInputs/<test>/}, Jazzer's
 * regression mode); {@code JAZZER_FUZZ=1} fuzzes for {@code maxDuration} (docs/testing.md).
 *
 * <p>The property: nothing escapes but the reader's own refusal (a {@link ProblemException}, a 4xx),
 * and whatever the validator accepts fits staging: bounded numbers, storable text, timestamps
 * PostgreSQL holds.
 */
class IngestionFuzzTests {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    /** The first byte picks the entity (its value mod 5, in {@link Entity} order); the rest is the body. */
    @FuzzTest(maxDuration = "5m")
    void ndjsonReaderAndValidator(byte[] input) throws IOException {
        readAndValidate(BatchFormat.NDJSON, input);
    }

    @FuzzTest(maxDuration = "5m")
    void csvReaderAndValidator(byte[] input) throws IOException {
        readAndValidate(BatchFormat.CSV, input);
    }

    /** Field values of every kind a reader can produce, straight into the validator. */
    @FuzzTest(maxDuration = "5m")
    void validator(FuzzedDataProvider data) {
        RecordSchema schema = RecordSchema.of(data.pickValue(Entity.values()));
        Map<String, RawValue> row = new HashMap<>();
        for (String field : schema.fieldNames()) {
            switch (data.consumeInt(0, 4)) {
                case 0 -> { } // absent
                case 1 -> row.put(field, new RawValue(null, true, false, false));
                case 2 -> row.put(field, new RawValue(data.consumeString(40), true, true, false));
                case 3 -> row.put(field, new RawValue(data.consumeString(300), data.consumeBoolean(), false, false));
                default -> row.put(field, new RawValue(data.consumeString(40), true, false, true));
            }
        }
        checkAccepted(schema, new RowValidator(schema).validate(row, NOW));
    }

    static void readAndValidate(BatchFormat format, byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        RecordSchema schema = RecordSchema.of(Entity.values()[Math.floorMod(input[0], Entity.values().length)]);
        // the service refuses a body that is not UTF-8 before any reader sees it; here the readers get
        // what decoding would give for the rest
        String body = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .decode(ByteBuffer.wrap(input, 1, input.length - 1)).toString();
        RowValidator validator = new RowValidator(schema);
        try {
            RowReader reader = format.open(new StringReader(body), schema);
            SourceRow row;
            int lastLine = 0;
            while ((row = reader.next()) != null) {
                assertThat(row.line()).isGreaterThan(lastLine);
                assertThat(row.text()).isNotNull();
                lastLine = row.line();
                if (!row.malformed()) {
                    assertThat(row.fields().keySet()).isSubsetOf(schema.fieldNames());
                    checkAccepted(schema, validator.validate(row.fields(), NOW));
                }
            }
            assertThat(reader.unknownFields()).isNotNegative();
        } catch (ProblemException refused) {
            // the reader's own error (a record over the length limit, a CSV header it cannot use): a 4xx
            assertThat(refused.problem().status()).isBetween(400, 499);
        }
    }

    /** A row the validator lets through must fit every staging column it lands in. */
    static void checkAccepted(RecordSchema schema, ValidatedRow validated) {
        for (var reason : validated.reasons()) {
            assertThat(reason.field().startsWith("_") || schema.fieldNames().contains(reason.field())).isTrue();
            assertThat(reason.rule()).isNotBlank();
        }
        if (!validated.reasons().isEmpty()) {
            return;
        }
        List<FieldSpec> fields = schema.fields();
        for (int i = 0; i < fields.size(); i++) {
            FieldSpec spec = fields.get(i);
            String value = validated.values()[i];
            if (value == null) {
                assertThat(spec.required()).as("required %s accepted without a value", spec.name()).isFalse();
                continue;
            }
            assertThat(StorableText.firstUnstorable(value)).as("%s storable", spec.name()).isNegative();
            switch (spec.type()) {
                case MONEY, INTEGER -> {
                    BigDecimal number = new BigDecimal(value);
                    assertThat(number.scale()).isLessThanOrEqualTo(spec.type() == FieldType.MONEY ? 2 : 0);
                    if (spec.min() != null) {
                        assertThat(number).isGreaterThanOrEqualTo(spec.min());
                    }
                    if (spec.max() != null) {
                        assertThat(number).isLessThanOrEqualTo(spec.max());
                    }
                }
                case TIMESTAMP -> assertThat(Instant.parse(value)).isBetween(RowValidator.OLDEST_TIMESTAMP,
                        NOW.plusSeconds(86_400));
                case KEY, TEXT, EMAIL, COUNTRY, ENUM -> assertThat(value.length()).isLessThanOrEqualTo(
                        Math.max(spec.maxLength(), 320));
            }
        }
    }
}
