package dev.shopflow.generator.domain;

import dev.shopflow.common.wire.Entity;
import java.util.List;
import java.util.Map;

/** One day's records per entity, in push order, and the defects injected into them by kind. */
public record DayData(Map<Entity, List<Object>> records, Map<String, Integer> defects) {
}
