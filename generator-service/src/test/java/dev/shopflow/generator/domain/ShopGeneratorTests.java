package dev.shopflow.generator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.shopflow.common.wire.Entity;
import dev.shopflow.common.wire.Records;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShopGeneratorTests {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    static final LocalDate DAY = LocalDate.of(2025, 3, 8);

    static String bytes(DayData data) throws Exception {
        return JSON.writeValueAsString(data.records());
    }

    static GenerationParams params(long seed) {
        return new GenerationParams(LocalDate.of(2025, 3, 1), LocalDate.of(2025, 3, 31), 200, seed, 0.0);
    }

    @Test
    void shouldGenerateADayIdenticallyWhateverTheRunItIsPartOf() throws Exception {
        GenerationParams month = params(42);
        GenerationParams justThatDay = new GenerationParams(DAY, DAY, 200, 42, 0.0);
        ShopGenerator a = new ShopGenerator(42);
        a.day(LocalDate.of(2025, 3, 1), month);
        assertThat(bytes(a.day(DAY, month))).isEqualTo(bytes(new ShopGenerator(42).day(DAY, justThatDay)));
    }

    @Test
    void shouldGenerateDifferentDataForAnotherSeed() throws Exception {
        assertThat(bytes(new ShopGenerator(1).day(DAY, params(1))))
                .isNotEqualTo(bytes(new ShopGenerator(2).day(DAY, params(2))));
    }

    @Test
    void shouldMakeWeekendsBusierThanWeekdays() {
        GenerationParams p = params(42);
        assertThat(ShopGenerator.ordersOn(LocalDate.of(2025, 3, 8), p))
                .isGreaterThan(ShopGenerator.ordersOn(LocalDate.of(2025, 3, 5), p));
    }

    @Test
    void shouldInjectAndCountOutOfRangeQuantitiesAtTheDefectRate() {
        GenerationParams p = new GenerationParams(DAY, DAY, 500, 42, 0.1);
        DayData data = new ShopGenerator(42).day(DAY, p);
        List<Object> items = data.records().get(Entity.ORDER_ITEMS);
        long zero = items.stream().map(Records.OrderItem.class::cast).filter(i -> i.quantity() == 0).count();
        assertThat(zero).isPositive().isEqualTo(data.defects().get("out_of_range_quantity").longValue());
    }

    @Test
    void shouldPayEveryOrderThatLeftPlacedWithTheLineTotal() {
        DayData data = new ShopGenerator(42).day(DAY, params(42));
        long notPlaced = data.records().get(Entity.ORDERS).stream().map(Records.Order.class::cast)
                .filter(o -> !o.status().equals("placed")).count();
        assertThat(data.records().get(Entity.PAYMENTS)).hasSize((int) notPlaced);
    }
}
