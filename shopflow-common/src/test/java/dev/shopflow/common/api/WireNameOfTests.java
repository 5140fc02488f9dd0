package dev.shopflow.common.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopflow.common.wire.BatchStatus;
import dev.shopflow.common.wire.Entity;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.Set;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WireNameOfTests {

    record Filter(@WireNameOf(Entity.class) String entity, @WireNameOf(BatchStatus.class) String status) {
    }

    static ValidatorFactory factory;
    static Validator validator;

    @BeforeAll
    static void start() {
        factory = Validation.byDefaultProvider().configure().messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void stop() {
        factory.close();
    }

    @Test
    void wireNamesOfTheEnumPassAndNullPasses() {
        assertThat(validator.validate(new Filter("order_items", "audit_failed"))).isEmpty();
        assertThat(validator.validate(new Filter(null, null))).isEmpty();
    }

    @Test
    void anythingElseIsRefusedNamingTheEnumsValues() {
        Set<ConstraintViolation<Filter>> violations = validator.validate(new Filter("ORDER_ITEMS", "lost"));
        assertThat(violations).extracting(v -> v.getPropertyPath().toString()).containsExactlyInAnyOrder("entity", "status");
        assertThat(violations).extracting(ConstraintViolation::getMessage).containsExactlyInAnyOrder(
                "must be one of customers, products, orders, order_items, payments",
                "must be one of loaded, transformed, published, audit_failed");
    }
}
