package dev.shopflow.common.api;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/**
 * A parameter that must be the wire name of one of an enum's constants (its {@code wireName()}, e.g.
 * {@code Entity}, {@code BatchStatus}); null passes. The allowed values come from the enum, so a new
 * constant is accepted everywhere at once, and the message lists them.
 */
@Documented
@Constraint(validatedBy = WireNameOf.Validator.class)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface WireNameOf {

    Class<? extends Enum<?>> value();

    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<WireNameOf, String> {

        private List<String> names;

        @Override
        public void initialize(WireNameOf annotation) {
            names = wireNames(annotation.value());
        }

        static List<String> wireNames(Class<? extends Enum<?>> type) {
            try {
                Method wireName = type.getMethod("wireName");
                return Arrays.stream(type.getEnumConstants()).map(c -> {
                    try {
                        return (String) wireName.invoke(c);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type + " has no wireName()", e);
            }
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || names.contains(value)) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("must be one of " + String.join(", ", names))
                    .addConstraintViolation();
            return false;
        }
    }
}
