package io.jneuron.core.hub;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** A recognisable token for tests that check it never shows up in any output. */
final class TokenCanary {
    static final String VALUE = "hf_CANARYtoken4f1c9e2d7b3a";

    private TokenCanary() {
    }

    static void assertAbsent(String text) {
        assertFalse(text.contains(VALUE) || text.contains("CANARYtoken"), "the token leaked into: " + text);
    }
}
