package io.jneuron.core.cache;

import java.util.Arrays;
import java.util.List;

/**
 * A registry entry as found in a {@link RegistrySource}.
 *
 * @param source the source's {@link RegistrySource#name()}
 * @param path relative to the cache root, e.g. {@code neuronxcc-2.21.33363.0+82129205/0_REGISTRY/0.4.5/<digest>/<hash>.json}
 * @param compiler the compiler folder it is under
 * @param registryVersion the optimum-neuron version folder
 * @param layout where it sits in that folder
 * @param entry the parsed entry
 */
public record StoredEntry(String source, String path, CompilerId compiler, String registryVersion,
        RegistryLayout layout, RegistryEntry entry) {

    /** The path below the version folder, file name last. */
    public List<String> segments() {
        String prefix = compiler.folderName() + "/0_REGISTRY/" + registryVersion + "/";
        return Arrays.asList(path.substring(prefix.length()).split("/"));
    }

    /** The hash the file name claims (the name without {@code .json}). */
    public String fileHash() {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    /** The model id the folder names ({@code org/name} or {@code name}), or null in the arch-digest layout. */
    public String modelIdFromPath() {
        List<String> s = segments();
        int first = layout == RegistryLayout.MODE_MODEL_ID ? 2 : 1;
        return layout == RegistryLayout.ARCH_DIGEST ? null : String.join("/", s.subList(first, s.size() - 1));
    }
}
