package dev.shopflow.common.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;

/** The ingested records exactly as they travel (docs/contract.md section 1), snake_case on the wire. */
public final class Records {

    private Records() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Customer(String customerId, String email, String firstName, String lastName, String city,
            String state, String country, Instant signupAt, Instant updatedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Product(String productId, String name, String category, BigDecimal unitPrice, BigDecimal unitCost,
            Instant updatedAt) {
    }

    public record Order(String orderId, String customerId, Instant orderTs, String status, String channel,
            Instant updatedAt) {
    }

    public record OrderItem(String orderId, int lineNumber, String productId, int quantity, BigDecimal unitPrice,
            BigDecimal discount) {
    }

    public record Payment(String paymentId, String orderId, String method, BigDecimal amount, String status,
            Instant paidAt) {
    }
}
