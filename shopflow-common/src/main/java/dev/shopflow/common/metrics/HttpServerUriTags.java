package dev.shopflow.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.arc.Arc;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Set;

/**
 * Keeps the uri tag of http_server_requests_seconds to the service's own route templates. A request
 * that the HTTP layer refuses before routing (a malformed escape, an invalid character, a bad Host
 * header) carries its raw path as uri, so every junk path would make a new series, and once
 * Quarkus's uri-tag limit is reached a real endpoint called afterwards gets none. Any uri value that
 * is not a template of this service's REST resources (nor one of Micrometer's fixed values) is
 * counted as {@value #UNMATCHED}.
 */
public class HttpServerUriTags {

    public static final String UNMATCHED = "UNMATCHED";
    /** The values Quarkus itself uses for requests without a template. */
    static final Set<String> FIXED = Set.of("NOT_FOUND", "REDIRECTION", "root", "UNKNOWN", UNMATCHED);

    private volatile Set<String> templates;

    @Produces
    @Singleton
    MeterFilter boundedUriTags() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith("http.server.requests")) {
                    return id;
                }
                String uri = id.getTag("uri");
                if (uri == null || FIXED.contains(uri) || templates().contains(uri)) {
                    return id;
                }
                return id.withTag(Tag.of("uri", UNMATCHED));
            }
        };
    }

    private Set<String> templates() {
        Set<String> known = templates;
        if (known == null) {
            known = routeTemplates(Arc.container().beanManager());
            templates = known;
        }
        return known;
    }

    /** Every resource method's path as Quarkus tags it: class @Path + method @Path, one slash between. */
    static Set<String> routeTemplates(BeanManager beans) {
        Set<String> out = new HashSet<>();
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            Path root = type.getAnnotation(Path.class);
            if (root == null || type.isInterface()) {
                continue;
            }
            for (Method m : type.getMethods()) {
                if (!isResourceMethod(m)) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                out.add(template(root.value(), sub == null ? "" : sub.value()));
            }
        }
        return Set.copyOf(out);
    }

    static String template(String root, String sub) {
        String joined = ("/" + root + "/" + sub).replaceAll("/{2,}", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    private static boolean isResourceMethod(Method m) {
        return m.isAnnotationPresent(GET.class) || m.isAnnotationPresent(POST.class) || m.isAnnotationPresent(PUT.class)
                || m.isAnnotationPresent(DELETE.class) || m.isAnnotationPresent(PATCH.class)
                || m.isAnnotationPresent(HEAD.class) || m.isAnnotationPresent(OPTIONS.class)
                || m.isAnnotationPresent(Path.class);
    }
}
