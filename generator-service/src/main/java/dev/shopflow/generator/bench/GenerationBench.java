package dev.shopflow.generator.bench;

import dev.shopflow.common.wire.Entity;
import dev.shopflow.generator.domain.DayData;
import dev.shopflow.generator.domain.RecordJson;
import dev.shopflow.generator.domain.ShopGenerator;
import dev.shopflow.generator.domain.ShopProfile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Generation alone, into a discarding sink: days are generated and every row serialized to its
 * NDJSON line, as the push does, until the given number of order lines; prints records/s
 * (bench/generator.sh runs it). Args: [order lines] [orders per day] [seed].
 */
public final class GenerationBench {

    private GenerationBench() {
    }

    public static void main(String[] args) {
        long lines = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int ordersPerDay = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        // warm-up: a few days, so the JIT has compiled the hot paths
        ShopGenerator warm = new ShopGenerator(seed + 1, ordersPerDay, 0.01, ShopProfile.defaults());
        for (int d = 0; d < 20; d++) {
            sink(warm.day(LocalDate.of(2024, 1, 1).plusDays(d)));
        }
        long start = System.nanoTime();
        ShopGenerator generator = new ShopGenerator(seed, ordersPerDay, 0.01, ShopProfile.defaults());
        long records = 0;
        long bytes = 0;
        long orderLines = 0;
        int days = 0;
        for (LocalDate day = LocalDate.of(2025, 1, 1); orderLines < lines; day = day.plusDays(1), days++) {
            DayData data = generator.day(day);
            orderLines += data.records().get(Entity.ORDER_ITEMS).size();
            for (List<Object> rows : data.records().values()) {
                records += rows.size();
            }
            bytes += sink(data);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("days %d, order lines %,d, records %,d (all entities), NDJSON %,d MB%n", days, orderLines,
                records, bytes >> 20);
        System.out.printf("seconds %.2f, records/s %,.0f, order lines/s %,.0f, peak heap %d MiB%n", seconds,
                records / seconds, orderLines / seconds, peakHeap >> 20);
    }

    /** Serializes every row as the push does, into a writer that only counts. */
    private static long sink(DayData data) {
        long[] chars = new long[1];
        java.io.Writer counting = new java.io.Writer() {
            @Override
            public void write(char[] buf, int off, int len) {
                chars[0] += len;
            }

            @Override
            public void write(String str) {
                chars[0] += str.length();
            }

            @Override
            public void write(int c) {
                chars[0]++;
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        RecordJson.Lines lines = new RecordJson.Lines(counting);
        for (Map.Entry<Entity, List<Object>> e : data.records().entrySet()) {
            for (Object row : e.getValue()) {
                lines.add(row);
            }
        }
        lines.finish();
        return chars[0];
    }
}
