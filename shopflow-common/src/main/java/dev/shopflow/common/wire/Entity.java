package dev.shopflow.common.wire;

import java.util.Arrays;
import java.util.Optional;

/** The five record kinds ShopFlow ingests (docs/contract.md section 1); the wire name is the path segment. */
public enum Entity {
    CUSTOMERS("customers"),
    PRODUCTS("products"),
    ORDERS("orders"),
    ORDER_ITEMS("order_items"),
    PAYMENTS("payments");

    private final String wireName;

    Entity(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Entity> fromWireName(String name) {
        return Arrays.stream(values()).filter(e -> e.wireName.equals(name)).findFirst();
    }

    /** The entity of a path segment, or a 404 problem naming the five there are. */
    public static Entity ofPath(String name) {
        return fromWireName(name).orElseThrow(() -> new dev.shopflow.common.problem.ProblemException(
                dev.shopflow.common.problem.Problem.of(jakarta.ws.rs.core.Response.Status.NOT_FOUND, "unknown-entity",
                        "Unknown entity '" + name + "'; expected one of customers, products, orders, order_items, payments")));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
