package dev.shopflow.generator.service;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.shopflow.common.wire.Entity;
import dev.shopflow.common.wire.Records;
import dev.shopflow.generator.domain.DayData;
import dev.shopflow.generator.domain.RecordJson;
import dev.shopflow.generator.domain.ShopGenerator;
import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes one entity's generated records as RFC 4180 CSV with a header, day by day, so a dataset of
 * any length streams in constant memory. Columns are the record's fields in contract order; a
 * missing value is an empty field; a malformed-line defect is written as its raw text.
 */
public final class CsvDataset {

    private static final TypeReference<Map<String, Object>> ROW = new TypeReference<>() { };
    private static final Map<Entity, Class<?>> TYPES = Map.of(Entity.CUSTOMERS, Records.Customer.class,
            Entity.PRODUCTS, Records.Product.class, Entity.ORDERS, Records.Order.class,
            Entity.ORDER_ITEMS, Records.OrderItem.class, Entity.PAYMENTS, Records.Payment.class);

    private CsvDataset() {
    }

    public static List<String> columns(Entity entity) {
        return Arrays.stream(TYPES.get(entity).getRecordComponents())
                .map(c -> c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT)).toList();
    }

    public static void write(ShopGenerator generator, Entity entity, LocalDate from, LocalDate to, Writer out)
            throws IOException {
        List<String> columns = columns(entity);
        out.write(String.join(",", columns));
        out.write("\r\n");
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            DayData data = generator.day(day);
            for (Object row : data.records().get(entity)) {
                if (row instanceof RecordJson.Malformed malformed) {
                    out.write(malformed.text());
                } else {
                    Map<String, Object> values = RecordJson.MAPPER.convertValue(row, ROW);
                    for (int i = 0; i < columns.size(); i++) {
                        if (i > 0) {
                            out.write(',');
                        }
                        Object v = values.get(columns.get(i));
                        out.write(v == null ? "" : field(v.toString()));
                    }
                }
                out.write("\r\n");
            }
            out.flush();
        }
    }

    static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
