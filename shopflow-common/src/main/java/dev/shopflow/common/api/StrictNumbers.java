package dev.shopflow.common.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Request bodies of every service: a whole-number field given 1.5 is a 400 naming the field
 * (ProblemExceptionMappers#mismatchedInput), not silently 1 as Jackson's default truncation would make
 * it ({@code "orders_per_day": 1.5}, {@code "seed": 1.5}).
 */
@Singleton
public class StrictNumbers implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }
}
