package dev.shopflow.common.api;

import dev.shopflow.common.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Gives every problem answer an {@code instance} (RFC 9457: this occurrence), a {@code urn:uuid:},
 * and logs it with the request, so the id a user reports finds its line in the service's log (with the
 * trace id, in the JSON log format). 4xx at INFO (the caller's mistake), 5xx at WARN; the 500 mapper
 * logs the stack trace itself.
 */
public class ProblemInstances {

    private static final Logger LOG = Logger.getLogger(ProblemInstances.class);

    @ServerResponseFilter
    public void addInstance(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(response.getEntity() instanceof Problem problem) || problem.extensions().containsKey("instance")) {
            return;
        }
        String instance = "urn:uuid:" + UUID.randomUUID();
        Map<String, Object> members = new HashMap<>(problem.extensions());
        members.put("instance", instance);
        response.setEntity(problem.with(members), null, Problem.MEDIA);
        Logger.Level level = problem.status() >= 500 ? Logger.Level.WARN : Logger.Level.INFO;
        LOG.logf(level, "Problem %s: %d %s %s (%s %s)", instance, problem.status(), problem.type(),
                String.valueOf(problem.detail()), request.getMethod(), request.getUriInfo().getPath());
    }
}
