package dev.shopflow.ingestion.domain;

/** The value kinds of docs/contract.md section 1, each with the SQL type staging stores it as. */
public enum FieldType {
    KEY("text"),
    TEXT("text"),
    EMAIL("text"),
    COUNTRY("text"),
    TIMESTAMP("timestamptz"),
    MONEY("numeric(14,2)"),
    INTEGER("integer"),
    ENUM("text");

    private final String sqlType;

    FieldType(String sqlType) {
        this.sqlType = sqlType;
    }

    public String sqlType() {
        return sqlType;
    }
}
