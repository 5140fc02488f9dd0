package dev.shopflow.common.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Background work as a span of the request that started it. A generation run or a transform run
 * continues on an executor thread after its HTTP request has answered; the trace context does not
 * travel to that thread by itself, so the run would start a trace of its own. Wrapping the task here
 * keeps push -> ingestion -> nudge -> transform run -> audit one trace.
 */
@ApplicationScoped
public class RunSpans {

    private final Tracer tracer;

    RunSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The task, to run on another thread as span {@code name}, a child of the caller's current span. */
    public Runnable inSpan(String name, Runnable task) {
        Context parent = Context.current();
        return () -> {
            Span span = tracer.spanBuilder(name).setParent(parent).startSpan();
            try (Scope ignored = span.makeCurrent()) {
                task.run();
            } catch (RuntimeException | Error e) {
                span.recordException(e);
                span.setStatus(StatusCode.ERROR);
                throw e;
            } finally {
                span.end();
            }
        };
    }
}
