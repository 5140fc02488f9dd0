package dev.shopflow.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.wire.Entity;
import dev.shopflow.ingestion.domain.RawValue;
import dev.shopflow.ingestion.domain.RecordSchema;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4180 and the cases real exports get wrong. */
class CsvRowReaderTests {

    static final String HEADER = "product_id,name,category,unit_price,unit_cost,updated_at";

    static List<SourceRow> read(String body) throws IOException {
        RowReader reader = BatchFormat.CSV.open(new StringReader(body), RecordSchema.of(Entity.PRODUCTS));
        List<SourceRow> rows = new ArrayList<>();
        SourceRow row;
        while ((row = reader.next()) != null) {
            rows.add(row);
        }
        return rows;
    }

    static String value(SourceRow row, String field) {
        RawValue raw = row.fields().get(field);
        return raw == null ? null : raw.text();
    }

    @Test
    void shouldReadQuotedFieldsWithCommasEscapedQuotesAndLineBreaks() throws IOException {
        String body = HEADER + "\n"
                + "p-1,\"Kettle, steel\",kitchen,39.90,,2025-01-02T00:00:00Z\n"
                + "p-2,\"The \"\"best\"\" mug\",kitchen,9.5,2,2025-01-02T00:00:00Z\n"
                + "p-3,\"two\nlines\",garden,1,,2025-01-02T00:00:00Z\n"
                + "p-4,plain,garden,2,,2025-01-02T00:00:00Z\n";
        List<SourceRow> rows = read(body);
        assertThat(rows).hasSize(4).noneMatch(SourceRow::malformed);
        assertThat(value(rows.get(0), "name")).isEqualTo("Kettle, steel");
        assertThat(value(rows.get(0), "unit_cost")).isEmpty();
        assertThat(value(rows.get(1), "name")).isEqualTo("The \"best\" mug");
        assertThat(value(rows.get(2), "name")).isEqualTo("two\nlines");
        // line numbers are where each record starts; a quoted line break moves the next record down
        assertThat(rows).extracting(SourceRow::line).containsExactly(2, 3, 4, 6);
        // the exact text is kept for quarantine
        assertThat(rows.get(1).text()).isEqualTo("p-2,\"The \"\"best\"\" mug\",kitchen,9.5,2,2025-01-02T00:00:00Z");
        assertThat(rows.get(2).text()).isEqualTo("p-3,\"two\nlines\",garden,1,,2025-01-02T00:00:00Z");
    }

    @Test
    void shouldHandleABomCrlfLineEndsBlankLinesAndNoFinalNewline() throws IOException {
        String body = "\uFEFF" + HEADER + "\r\n"
                + "p-1,Kettle,kitchen,39.90,,2025-01-02T00:00:00Z\r\n"
                + "\r\n"
                + "p-2,\"CR\r\nLF\",kitchen,1,,2025-01-02T00:00:00Z";
        List<SourceRow> rows = read(body);
        assertThat(rows).hasSize(2).noneMatch(SourceRow::malformed);
        assertThat(value(rows.get(0), "product_id")).isEqualTo("p-1");
        assertThat(value(rows.get(0), "updated_at")).isEqualTo("2025-01-02T00:00:00Z");
        assertThat(value(rows.get(1), "name")).isEqualTo("CR\r\nLF");
        assertThat(rows).extracting(SourceRow::line).containsExactly(2, 4);
    }

    @Test
    void shouldIgnoreEmptyColumnNamesAsASpreadsheetExportsThem() throws IOException {
        RowReader reader = BatchFormat.CSV.open(new StringReader(HEADER + ",,\n" + "p-1,Kettle,kitchen,39.90,,2025-01-02T00:00:00Z,,\n"),
                RecordSchema.of(Entity.PRODUCTS));
        SourceRow row = reader.next();
        assertThat(row.malformed()).isFalse();
        assertThat(row.fields().get("product_id").text()).isEqualTo("p-1");
        assertThat(reader.unknownFields()).isEqualTo(2);
    }

    @Test
    void shouldTakeColumnsInAnyOrderAndCountUnknownOnes() throws IOException {
        RowReader reader = BatchFormat.CSV.open(new StringReader(
                "updated_at,colour,product_id,unit_price,name,category,size\n"
                        + "2025-01-02T00:00:00Z,red,p-1,3,Mug,kitchen,XL\n"), RecordSchema.of(Entity.PRODUCTS));
        SourceRow row = reader.next();
        assertThat(reader.unknownFields()).isEqualTo(2);
        assertThat(row.fields()).doesNotContainKeys("colour", "size");
        assertThat(value(row, "name")).isEqualTo("Mug");
        assertThat(row.fields()).doesNotContainKey("unit_cost");
    }

    @Test
    void shouldMarkRecordsOfTheWrongShapeMalformedAndGoOn() throws IOException {
        String body = HEADER + "\n"
                + "p-1,too,few\n"
                + "p-2,too,many,1,2,2025-01-02T00:00:00Z,extra\n"
                + "p-3,\"closed\"junk,kitchen,1,,2025-01-02T00:00:00Z\n"
                + "p-4,fine,kitchen,1,,2025-01-02T00:00:00Z\n"
                + "p-5,\"never closed,kitchen,1,,2025-01-02T00:00:00Z\n"
                + "p-6,swallowed,kitchen,1,,2025-01-02T00:00:00Z\n";
        List<SourceRow> rows = read(body);
        assertThat(rows).extracting(SourceRow::malformed).containsExactly(true, true, true, false, true);
        assertThat(rows.get(0).text()).isEqualTo("p-1,too,few");
        assertThat(rows.get(2).text()).isEqualTo("p-3,\"closed\"junk,kitchen,1,,2025-01-02T00:00:00Z");
        // an open quote runs to the end of the body: one malformed record, nothing lost from the text
        assertThat(rows.get(4).text()).endsWith("p-6,swallowed,kitchen,1,,2025-01-02T00:00:00Z\n");
    }

    @Test
    void shouldTakeAQuoteInsideAnUnquotedFieldLiterally() throws IOException {
        List<SourceRow> rows = read(HEADER + "\np-1,5\" screen,tv,99,,2025-01-02T00:00:00Z\n");
        assertThat(value(rows.get(0), "name")).isEqualTo("5\" screen");
    }

    @Test
    void shouldRefuseAHeaderWithoutARequiredColumnNamingIt() {
        assertThatThrownBy(() -> read("product_id,name,unit_price,updated_at\np-1,Mug,3,2025-01-02T00:00:00Z\n"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(400);
                    assertThat(e.problem().errors()).extracting(f -> f.field()).containsExactly("category");
                });
    }

    @Test
    void shouldRefuseAHeaderThatRepeatsAColumn() {
        assertThatThrownBy(() -> read(HEADER + ",name\n"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().errors())
                        .extracting(f -> f.field()).containsExactly("name"));
    }

    @Test
    void shouldReadAnEmptyBodyAsNoRows() throws IOException {
        assertThat(read("")).isEmpty();
        assertThat(read(HEADER + "\n")).isEmpty();
        assertThat(read("\uFEFF")).isEmpty();
    }

    @Test
    void shouldRefuseARecordLongerThanTheLimitInsteadOfBufferingIt() {
        String huge = "\"" + "x".repeat(RowReader.MAX_RECORD_CHARS + 10);
        assertThatThrownBy(() -> read(HEADER + "\np-1," + huge)).isInstanceOf(RecordTooLongException.class);
        String unquoted = "x".repeat(RowReader.MAX_RECORD_CHARS + 10);
        assertThatThrownBy(() -> read(HEADER + "\np-1," + unquoted)).isInstanceOf(RecordTooLongException.class);
    }
}
