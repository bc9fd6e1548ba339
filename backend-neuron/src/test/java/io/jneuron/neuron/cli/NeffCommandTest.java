package io.jneuron.neuron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.neuron.neff.NeffWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeffCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Wired the way core's Main wires its commands: user errors are one line, exit 1. */
    private int run(String... args) {
        CommandLine cl = new CommandLine(new NeffCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            if (ex instanceof NeuronKernelException) {
                c.getErr().println("error: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    private Path neff() throws Exception {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("neff.json", "{}".getBytes(StandardCharsets.UTF_8));
        m.put("sg00/def.json", "{}".getBytes(StandardCharsets.UTF_8));
        Path f = dir.resolve("graph.neff");
        NeffWriter.write(f, "graph", m, true);
        return f;
    }

    @Test
    void infoPrintsTheHeaderAndMembers() throws Exception {
        Path f = neff();
        assertEquals(0, run("info", f.toString()));
        String text = out.toString();
        assertTrue(text.startsWith("file           " + f + "\nname           graph\nneff version   2.0 (packager v2, "
                + "gzip'd tar payload of "), text);
        assertTrue(text.contains("members        2\n             2  neff.json\n             2  sg00/def.json\n"), text);
        assertEquals("", err.toString());
    }

    @Test
    void infoJsonIsOneDocument() throws Exception {
        Path f = neff();
        assertEquals(0, run("info", f.toString(), "--format", "json"));
        JsonNode n = new ObjectMapper().readTree(out.toString());
        assertEquals(2, n.path("header").path("pkg_version").asInt());
        assertEquals("2.0", n.path("header").path("neff_version").asText());
        assertEquals("gzip", n.path("compression").asText());
        assertEquals("sg00/def.json", n.path("entries").get(1).path("name").asText());
    }

    @Test
    void aFileThatIsNotANeffIsOneClearLine() throws Exception {
        Path f = Files.writeString(dir.resolve("model.safetensors"), "not a neff");
        assertEquals(1, run("info", f.toString()));
        assertEquals("error: " + f + " is not a NEFF: 10 bytes, shorter than the 1024-byte header\n", err.toString());
        assertEquals("", out.toString());
    }
}
