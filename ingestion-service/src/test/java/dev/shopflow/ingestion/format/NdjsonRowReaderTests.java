package dev.shopflow.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopflow.common.wire.Entity;
import dev.shopflow.ingestion.domain.RawValue;
import dev.shopflow.ingestion.domain.RecordSchema;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonRowReaderTests {

    static List<SourceRow> read(RowReader reader) throws IOException {
        List<SourceRow> rows = new ArrayList<>();
        SourceRow row;
        while ((row = reader.next()) != null) {
            rows.add(row);
        }
        return rows;
    }

    static RowReader reader(String body) throws IOException {
        return BatchFormat.NDJSON.open(new StringReader(body), RecordSchema.of(Entity.ORDER_ITEMS));
    }

    @Test
    void shouldKeepJsonTypesAndSkipBlankLines() throws IOException {
        List<SourceRow> rows = read(reader("\uFEFF{\"order_id\":\"o-1\",\"line_number\":1,\"quantity\":2.50,"
                + "\"unit_price\":null,\"product_id\":true}\r\n\n   \n{\"order_id\":\"o-2\"}"));
        assertThat(rows).hasSize(2).extracting(SourceRow::line).containsExactly(1, 4);
        assertThat(rows.get(0).fields().get("order_id")).isEqualTo(new RawValue("o-1", true, false, false));
        assertThat(rows.get(0).fields().get("line_number")).isEqualTo(new RawValue("1", true, true, false));
        assertThat(rows.get(0).fields().get("quantity")).isEqualTo(new RawValue("2.50", true, true, false));
        assertThat(rows.get(0).fields().get("unit_price")).isEqualTo(new RawValue(null, true, false, false));
        assertThat(rows.get(0).fields().get("product_id").structured()).isTrue();
        assertThat(rows.get(0).text()).doesNotEndWith("\r");
    }

    @Test
    void shouldMarkEverythingButOneJsonObjectPerLineMalformed() throws IOException {
        List<SourceRow> rows = read(reader("[1,2]\n\"text\"\n{\"order_id\":\n{} {}\n42\n{\"order_id\":\"o-1\"}\n"));
        assertThat(rows).extracting(SourceRow::malformed).containsExactly(true, true, true, true, true, false);
        assertThat(rows.get(2).text()).isEqualTo("{\"order_id\":");
    }

    @Test
    void shouldMarkAnObjectWithAKnownNameTwiceMalformed() throws IOException {
        List<SourceRow> rows = read(reader("{\"order_id\":\"PRB-O1\",\"order_id\":\"PRB-O2\"}\n"
                + "{\"order_id\":\"o-1\",\"note\":1,\"note\":2}\n"));
        assertThat(rows).extracting(SourceRow::malformed).as("which order_id was meant is unknown; an unknown name twice is ignored")
                .containsExactly(true, false);
    }

    @Test
    void shouldCountUnknownFieldsAndKeepObjectsAsStructuredValues() throws IOException {
        RowReader reader = reader("{\"order_id\":\"o-1\",\"gift\":{\"wrap\":true},\"note\":\"x\"}\n"
                + "{\"order_id\":\"o-2\",\"note\":\"y\",\"unit_price\":[1]}\n");
        List<SourceRow> rows = read(reader);
        assertThat(reader.unknownFields()).isEqualTo(2);
        assertThat(rows.get(0).fields()).containsOnlyKeys("order_id");
        assertThat(rows.get(1).fields().get("unit_price")).isEqualTo(new RawValue("[1]", true, false, true));
    }

    @Test
    void shouldRefuseALineLongerThanTheLimit() {
        assertThatThrownBy(() -> read(reader("{\"order_id\":\"" + "x".repeat(RowReader.MAX_RECORD_CHARS) + "\"}\n")))
                .isInstanceOf(RecordTooLongException.class);
    }
}
