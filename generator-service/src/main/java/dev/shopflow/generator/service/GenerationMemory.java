package dev.shopflow.generator.service;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.generator.config.GeneratorConfig;
import dev.shopflow.generator.domain.Demand;
import dev.shopflow.generator.domain.GenerationParams;
import dev.shopflow.generator.domain.ShopProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The generator's heap, admitted per request before a day is generated. A day is generated whole (its
 * records reference each other: the day's customers and products are those its orders need), about
 * {@link #BYTES_PER_ORDER} bytes per order of the day (measured: 157 MiB for a 112,000-order day,
 * 760 MiB for 852,000). A request whose busiest day cannot fit the budget at all is a 400 naming the
 * day and the heap it would need; requests that fit wait for one another's memory (a dataset up to
 * {@link #WAIT_SECONDS} s, then 429 with Retry-After), so concurrent large requests cannot together
 * exhaust the heap. Budget: {@code shopflow.generator.memory-budget-mib}, by default the heap less
 * {@link #RESERVED_MIB} MiB for everything else.
 */
@ApplicationScoped
public class GenerationMemory {

    private static final Logger LOG = Logger.getLogger(GenerationMemory.class);
    static final long BYTES_PER_ORDER = 1536;
    static final long RESERVED_MIB = 128;
    static final int WAIT_SECONDS = 30;

    private final long budgetKib;
    private final Semaphore kib;

    GenerationMemory(GeneratorConfig config) {
        long heapMib = Runtime.getRuntime().maxMemory() >> 20;
        long budgetMib = config.memoryBudgetMib().orElse(Math.max(64, heapMib - RESERVED_MIB));
        this.budgetKib = budgetMib << 10;
        this.kib = new Semaphore((int) Math.min(Integer.MAX_VALUE, budgetKib), true);
    }

    /** Heap a request's busiest day needs, in KiB. */
    public long neededKib(GenerationParams params) {
        Demand.Busiest busiest = new Demand(ShopProfile.defaults(), params.ordersPerDay()).busiestDay(params.from(), params.to());
        return ((long) Math.ceil(busiest.orders()) * BYTES_PER_ORDER >> 10) + 8 * 1024;
    }

    /** A 400 when the request's busiest day can never fit this instance's budget. */
    public void check(GenerationParams params) {
        long needed = neededKib(params);
        if (needed > budgetKib) {
            Demand.Busiest busiest = new Demand(ShopProfile.defaults(), params.ordersPerDay()).busiestDay(params.from(), params.to());
            throw new ProblemException(Problem.validation(java.util.List.of(new Problem.FieldError("orders_per_day",
                    String.format(Locale.ROOT, "the busiest day of the range, %s, has %.0f orders and needs about %d MiB of "
                            + "heap to generate; this generator has %d MiB for it: lower orders_per_day or give the "
                            + "generator more heap (shopflow.generator.memory-budget-mib)", busiest.day(), busiest.orders(),
                            needed >> 10, budgetKib >> 10)))));
        }
    }

    /** Holds the memory of a request's busiest day until closed. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /** For a dataset request: waits up to {@link #WAIT_SECONDS} s for the memory, else 429. */
    public Permit reserveOrRefuse(GenerationParams params) {
        int needed = (int) Math.min(budgetKib, neededKib(params));
        try {
            if (!kib.tryAcquire(needed, WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw ProblemException.retryAfter(Problem.of(Response.Status.TOO_MANY_REQUESTS, "generator-busy",
                        "Other generations hold the generator's memory; retry in a few seconds")
                        .with(Map.of("needed_mib", needed >> 10)), 5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return () -> kib.release(needed);
    }

    /** For a run in the background: waits as long as it takes. */
    public Permit reserve(GenerationParams params) throws InterruptedException {
        int needed = (int) Math.min(budgetKib, neededKib(params));
        if (!kib.tryAcquire(needed)) {
            LOG.infof("Generation waits for %d MiB of the generator's memory", needed >> 10);
            kib.acquire(needed);
        }
        return () -> kib.release(needed);
    }
}
