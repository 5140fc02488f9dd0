package dev.shopflow.common.db;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The optional filters of a list endpoint as a Panache query: only the filters given become
 * {@code attribute = :name} clauses (an empty query lists everything), with their values bound by name.
 */
public final class QueryFilters {

    private final List<String> clauses = new ArrayList<>();
    private final Map<String, Object> values = new HashMap<>();

    /** Adds {@code attribute = :attribute} when {@code value} is not null. */
    public QueryFilters equal(String attribute, Object value) {
        if (value != null) {
            clauses.add(attribute + " = :" + attribute);
            values.put(attribute, value);
        }
        return this;
    }

    /** Adds {@code attribute < :attribute_below} when {@code value} is not null: the next page of a newest-first list. */
    public QueryFilters below(String attribute, Object value) {
        if (value != null) {
            clauses.add(attribute + " < :" + attribute + "_below");
            values.put(attribute + "_below", value);
        }
        return this;
    }

    /** The query for Panache's {@code find(query, sort, parameters)}: the clauses joined by and, or empty. */
    public String query() {
        return String.join(" and ", clauses);
    }

    public Map<String, Object> parameters() {
        return Map.copyOf(values);
    }
}
