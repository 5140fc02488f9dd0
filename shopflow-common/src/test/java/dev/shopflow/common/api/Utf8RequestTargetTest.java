package dev.shopflow.common.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Utf8RequestTargetTest {

    @Test
    void acceptsAsciiAndWellFormedUtf8EscapedOrRaw() {
        assertThat(Utf8RequestTarget.isUtf8("/api/v1/kpis/summary?from=2025-01-01&to=2025-01-31")).isTrue();
        assertThat(Utf8RequestTarget.isUtf8("/api/v1/check-results?check=caf%C3%A9")).isTrue();
        assertThat(Utf8RequestTarget.isUtf8("/x?q=%E2%82%AC%F0%9F%98%80")).isTrue();
        // the raw bytes C3 A9 as Netty hands them over (one char per byte)
        assertThat(Utf8RequestTarget.isUtf8("/x?q=caf\u00C3\u00A9")).isTrue();
        assertThat(Utf8RequestTarget.isUtf8(null)).isTrue();
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        assertThat(Utf8RequestTarget.isUtf8("/x?from=%FF%FE")).isFalse();
        assertThat(Utf8RequestTarget.isUtf8("/x?entity=%C3%28")).isFalse();
        assertThat(Utf8RequestTarget.isUtf8("/x?q=%E2%82")).isFalse();
        assertThat(Utf8RequestTarget.isUtf8("/x/%C0%AF")).as("overlong '/'").isFalse();
        assertThat(Utf8RequestTarget.isUtf8("/x?q=caf\u00E9")).as("a raw Latin-1 byte").isFalse();
    }

    @Test
    void leavesMalformedEscapesToTheRouter() {
        assertThat(Utf8RequestTarget.isUtf8("/x?q=%")).isTrue();
        assertThat(Utf8RequestTarget.isUtf8("/x?q=%G1%2")).isTrue();
    }
}
