package dev.shopflow.analytics.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An answer as CSV (RFC 4180): the rows of {@code items} under a header row, or for a single-figure
 * answer one row of its top-level figures. Values are the JSON answer's, same rounding: decimals as
 * plain digits, null as an empty cell, a list or object (a cohort's retention) as its JSON text in
 * one quoted cell.
 */
final class CsvAnswer {

    static final String MEDIA_TYPE = "text/csv";

    private CsvAnswer() {
    }

    @SuppressWarnings("unchecked")
    static byte[] write(Object typedAnswer, ObjectMapper json) throws JsonProcessingException {
        Map<String, Object> answer = fields(typedAnswer);
        List<Map<String, Object>> rows;
        if (answer.get("items") instanceof List<?> items) {
            rows = (List<Map<String, Object>>) items;
        } else {
            Map<String, Object> figures = new LinkedHashMap<>(answer);
            figures.values().removeIf(v -> v instanceof Map || v instanceof List);
            rows = List.of(figures);
        }
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(r -> columns.addAll(r.keySet()));
        StringBuilder out = new StringBuilder();
        out.append(String.join(",", columns.stream().map(CsvAnswer::cell).toList())).append("\r\n");
        for (Map<String, Object> row : rows) {
            List<String> cells = new ArrayList<>(columns.size());
            for (String column : columns) {
                Object value = row.get(column);
                cells.add(value == null ? "" : value instanceof BigDecimal d ? d.toPlainString()
                        : value instanceof Map || value instanceof List ? cell(json.writeValueAsString(value))
                        : cell(value.toString()));
            }
            out.append(String.join(",", cells)).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A record's properties by their JSON names, in declaration order (the JSON answer's order);
     * records inside (a list's rows, a customer's RFM scores) become maps the same way.
     */
    static Map<String, Object> fields(Object record) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (value instanceof Record r) {
                value = fields(r);
            } else if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Record) {
                value = list.stream().map(CsvAnswer::fields).toList();
            }
            fields.put(renamed == null ? component.getName() : renamed.value(), value);
        }
        return fields;
    }

    /** Quoted when it holds a separator, a quote or a line break. */
    static String cell(String text) {
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
        if (!quote) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
