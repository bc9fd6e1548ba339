package io.jneuron.core.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's progress lines: a stage once, a download's percentage rewritten on a terminal, quiet in a log when fast. */
class ProgressLinesTest {
    static final String FILE = "download org/m/model.safetensors (1.0 MB)";

    @Test
    void onATerminalADownloadIsOneLineRewrittenInPlaceAndEndedAtTheEnd() throws Exception {
        StringWriter out = new StringWriter();
        ProgressLines p = new ProgressLines(new PrintWriter(out, true), true);
        p.progress("resolve", -1);
        p.progress(FILE, 0);
        Thread.sleep(250);
        p.progress(FILE, 0.5);
        p.progress(FILE, 0.6); // within 200 ms of the last rewrite: skipped
        p.progress(FILE, 1);
        p.progress("compile", 0);
        assertEquals("[jneuron] resolve...\n[jneuron] " + FILE + "...\n\r[jneuron] " + FILE + " 50%\r[jneuron] " + FILE
                + " 100%\n[jneuron] compile...\n", out.toString());
    }

    @Test
    void inALogAFastDownloadAddsNothingButItsFirstLine() {
        StringWriter out = new StringWriter();
        ProgressLines p = new ProgressLines(new PrintWriter(out, true), false);
        for (int i = 0; i <= 100; i++) {
            p.progress(FILE, i / 100.0);
        }
        assertEquals("[jneuron] " + FILE + "...\n", out.toString());
    }

    @Test
    void inALogASlowDownloadShowsItsSteps() throws Exception {
        StringWriter out = new StringWriter();
        ProgressLines p = new ProgressLines(new PrintWriter(out, true), false);
        p.progress(FILE, 0);
        Thread.sleep(1100);
        p.progress(FILE, 0.35);
        p.progress(FILE, 0.4); // under 10 points and a second since the last line
        p.progress(FILE, 1);
        assertEquals("[jneuron] " + FILE + "...\n[jneuron] " + FILE + " 35%\n[jneuron] " + FILE + " 100%\n",
                out.toString());
        assertTrue(out.toString().lines().noneMatch(l -> l.endsWith(" 40%")));
    }
}
