package io.jneuron.neuron.compiler;

import io.jneuron.neuron.neff.NeffWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Installs the STAND-IN tools ({@code src/test/resources/standin/}) into a test's bin folder and gives the
 * environment they need. They are shell scripts written for these tests, not the real neuronx-cc or optimum-cli.
 */
final class StandInTools {
    private StandInTools() {
    }

    /** Copies the named stand-in script into {@code bin} as an executable and returns its path. */
    static Path install(Path bin, String name) throws IOException {
        Files.createDirectories(bin);
        Path p = bin.resolve(name);
        try (InputStream in = StandInTools.class.getResourceAsStream("/standin/" + name)) {
            if (in == null) {
                throw new IOException("test resource standin/" + name + " is missing");
            }
            Files.copy(in, p);
        }
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** What the stand-in neuronx-cc needs to run StandInNeff, plus a counter file for its invocations. */
    static Map<String, String> env(Path counter) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("STANDIN_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("STANDIN_CP", String.join(java.io.File.pathSeparator, List.of(location(StandInNeff.class),
                location(NeffWriter.class), location(io.jneuron.core.NeuronKernelException.class))));
        env.put("STANDIN_NCC_COUNTER", counter.toString());
        return env;
    }

    /** The lines the stand-in appended to the counter file: one per invocation. */
    static List<String> invocations(Path counter) throws IOException {
        return Files.exists(counter) ? Files.readAllLines(counter) : List.of();
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException("cannot locate the classes of " + c, e));
        }
    }
}
