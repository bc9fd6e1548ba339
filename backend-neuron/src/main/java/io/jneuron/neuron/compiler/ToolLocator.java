package io.jneuron.neuron.compiler;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds an external tool as the rest of the backend finds libnrt: the {@code neuron.kernel.<key>} system property,
 * then the {@code NEURON_KERNEL_<KEY>} variable, then {@code PATH}. An override that names no executable file is an
 * error rather than a fall-through, so a typo never silently picks another installation.
 */
final class ToolLocator {
    private ToolLocator() {
    }

    /**
     * @param key e.g. {@code neuronx_cc}, giving {@code neuron.kernel.neuronx_cc} and {@code NEURON_KERNEL_NEURONX_CC}
     * @param name the executable searched on {@code PATH}, e.g. {@code neuronx-cc}
     */
    static Optional<Path> find(String key, String name, Map<String, String> props, Map<String, String> env) {
        String prop = "neuron.kernel." + key;
        String var = "NEURON_KERNEL_" + key.toUpperCase(Locale.ROOT);
        String override = props.get(prop) != null ? props.get(prop) : env.get(var);
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override.trim());
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new CompileException(prop + " / " + var + " is " + override + ", which is not an executable "
                        + "file; point it at " + name + " or unset it to search PATH", null);
            }
            return Optional.of(p.toAbsolutePath());
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** Where {@link #find} looked, for "not found" messages. */
    static String searched(String key, String name) {
        return "neuron.kernel." + key + ", NEURON_KERNEL_" + key.toUpperCase(Locale.ROOT) + " and " + name + " on PATH";
    }

    static Map<String, String> systemProperties() {
        Map<String, String> out = new java.util.HashMap<>();
        System.getProperties().forEach((k, v) -> out.put(k.toString(), v.toString()));
        return out;
    }
}
