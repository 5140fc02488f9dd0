package dev.shopflow.analytics.api;

import dev.shopflow.common.problem.Problem;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Bean Validation failures of request parameters as problem+json 400s naming each parameter (the
 * last node of the violation's path is the Java parameter, named like the query parameter).
 * More specific than Quarkus's own mapper of ValidationException, so it wins.
 */
public class ConstraintViolationProblemMapper {

    @ServerExceptionMapper
    public Response map(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(parameter(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field)).toList();
        Problem p = Problem.validation(errors);
        return Response.status(p.status()).type(Problem.MEDIA).entity(p).build();
    }

    private static String parameter(ConstraintViolation<?> v) {
        String name = null;
        for (Path.Node node : v.getPropertyPath()) {
            name = node.getName();
        }
        return switch (name == null ? "" : name) {
            case "customerId" -> "customer_id";
            case "asOf" -> "as_of";
            default -> name;
        };
    }
}
