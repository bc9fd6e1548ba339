package io.jneuron.core.cli;

import io.jneuron.core.Settings;
import io.jneuron.core.shape.DType;
import io.jneuron.core.shape.ShapeException;
import io.jneuron.core.shape.ShapeSpec;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad options get one line and a pointer to --help, not the whole usage; help works on every command group. */
class OptionErrorsTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void anUnknownOptionIsOneLinePlusSeeHelp() {
        Run r = run("generate", "some-model", "--bogus");
        assertEquals(2, r.code());
        assertEquals("error: Unknown option: '--bogus'\nsee 'jneuron generate --help'\n", r.err().replace("\r", ""));
        Run bad = run("export", "m", "out", "--batch_size", "many");
        assertEquals(2, bad.code());
        assertEquals(2, bad.err().lines().count(), bad.err());
        assertTrue(bad.err().startsWith("error: Invalid value for option '--batch_size': 'many' is not an int"), bad.err());
    }

    @Test
    void hubHelpWorks() {
        Run r = run("hub", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("serve"), r.out());
        assertEquals(0, run("hub", "serve", "--help").code());
    }

    @Test
    void aHugeMaxNewTokensIsReportedWithoutOverflow() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> ShapeSpec.of(1, 512, DType.FP32).checkFits(2, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertTrue(e.getMessage().startsWith("prompt of 2 tokens + max_new_tokens 2147483647 = 2147483649 exceeds"), e.getMessage());
        assertFalse(e.getMessage().matches("(?s).*-\\d.*"), "no negative number: " + e.getMessage());
        ShapeException within = assertThrows(ShapeException.class,
                () -> ShapeSpec.of(1, 512, DType.FP32).checkFits(2, 2_000_000_000, Integer.MAX_VALUE));
        assertFalse(within.getMessage().matches("(?s).*-\\d.*"), "no negative number: " + within.getMessage());
    }

    @Test
    void threadsAreCappedAtTheAvailableProcessors() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, new Settings("cpu", 100_000).threads());
        assertEquals(1, new Settings("cpu", 1).threads());
    }
}
