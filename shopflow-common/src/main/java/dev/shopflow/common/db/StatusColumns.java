package dev.shopflow.common.db;

import dev.shopflow.common.wire.BatchStatus;
import dev.shopflow.common.wire.RunStatus;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Status columns hold the wire names ("audit_failed"; the tables' CHECK constraints list them), not the
 * enum constants' names: these converters apply to every entity attribute of the two types.
 */
public final class StatusColumns {

    private StatusColumns() {
    }

    @Converter(autoApply = true)
    public static class RunStatusColumn implements AttributeConverter<RunStatus, String> {
        @Override
        public String convertToDatabaseColumn(RunStatus status) {
            return status == null ? null : status.wireName();
        }

        @Override
        public RunStatus convertToEntityAttribute(String column) {
            return column == null ? null : RunStatus.fromWireName(column).orElseThrow(() -> unknown(column));
        }
    }

    @Converter(autoApply = true)
    public static class BatchStatusColumn implements AttributeConverter<BatchStatus, String> {
        @Override
        public String convertToDatabaseColumn(BatchStatus status) {
            return status == null ? null : status.wireName();
        }

        @Override
        public BatchStatus convertToEntityAttribute(String column) {
            return column == null ? null : BatchStatus.fromWireName(column).orElseThrow(() -> unknown(column));
        }
    }

    private static IllegalStateException unknown(String column) {
        return new IllegalStateException("unknown status '" + column + "' in the database");
    }
}
