package dev.shopflow.ingestion;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Records, requests and queries the ingestion tests share. */
public final class Fixtures {

    public static final String NDJSON = "application/x-ndjson";

    /** Bodies as UTF-8 text, NDJSON included (RestAssured would otherwise refuse it or send ISO-8859-1). */
    private static final EncoderConfig ENCODING = EncoderConfig.encoderConfig()
            .defaultContentCharset("UTF-8")
            .encodeContentTypeAs(NDJSON, ContentType.TEXT)
            .encodeContentTypeAs("application/xml", ContentType.TEXT);

    private Fixtures() {
    }

    /** A request without credentials. */
    public static RequestSpecification request() {
        return given().config(RestAssured.config().encoderConfig(ENCODING));
    }

    /** A request with the development credentials. */
    public static RequestSpecification authorized() {
        return request().auth().preemptive().basic("shopflow", "shopflow-dev");
    }

    public static String customer(String id, String email, String updatedAt) {
        return "{\"customer_id\":\"" + id + "\",\"email\":\"" + email + "\",\"first_name\":\"Ada\",\"last_name\":\"Lovelace\","
                + "\"city\":\"London\",\"country\":\"GB\",\"signup_at\":\"2025-01-01T10:00:00Z\",\"updated_at\":\"" + updatedAt + "\"}";
    }

    public static String item(String orderId, int line, int quantity, String unitPrice) {
        return "{\"order_id\":\"" + orderId + "\",\"line_number\":" + line + ",\"product_id\":\"p-1\",\"quantity\":"
                + quantity + ",\"unit_price\":" + unitPrice + "}";
    }
}
