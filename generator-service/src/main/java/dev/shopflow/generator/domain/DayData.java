package dev.shopflow.generator.domain;

import dev.shopflow.common.wire.Entity;
import java.util.List;
import java.util.Map;

/**
 * One day's rows per entity, in push order (records, defective maps, malformed lines), and the
 * defects injected into them, counted by kind.
 */
public record DayData(Map<Entity, List<Object>> records, Map<String, Integer> defects) {
}
