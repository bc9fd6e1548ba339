package io.jneuron.core.cache;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiler and its version, naming one top folder of the cache: {@code neuronxcc-2.21.33363.0+82129205}
 * (libneuronxla's, full version with the {@code +hash}) or {@code jneuron-cpu-0.1.0} (one of our backends).
 */
public record CompilerId(String name, String version) {
    public static final String NEURONXCC = "neuronxcc";
    private static final Pattern FOLDER = Pattern.compile("([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*)-(\\d[A-Za-z0-9.+_-]*)");

    public CompilerId {
        if (name == null || version == null || !FOLDER.matcher(name + "-" + version).matches() || version.contains("..")) {
            throw new CacheException("compiler '" + name + "' version '" + version + "' does not make a cache folder "
                    + "name (lower-case name, version starting with a digit, e.g. neuronxcc-2.21.33363.0+82129205)");
        }
    }

    /** The compiler folder {@code name} names, if it is one (see {@link OptimumCompat#COMPILER_FOLDER_PREFIXES}). */
    public static Optional<CompilerId> parse(String folder) {
        if (OptimumCompat.COMPILER_FOLDER_PREFIXES.stream().noneMatch(folder::startsWith)) {
            return Optional.empty();
        }
        Matcher m = FOLDER.matcher(folder);
        return m.matches() && !folder.contains("..") ? Optional.of(new CompilerId(m.group(1), m.group(2)))
                : Optional.empty();
    }

    public String folderName() {
        return name + "-" + version;
    }

    public boolean isNeuronxcc() {
        return NEURONXCC.equals(name);
    }

    @Override
    public String toString() {
        return folderName();
    }
}
