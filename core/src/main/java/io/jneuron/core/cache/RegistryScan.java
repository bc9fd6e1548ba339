package io.jneuron.core.cache;

import java.util.List;

/** Every entry of a registry source, and everything that was skipped on the way. */
public record RegistryScan(List<StoredEntry> entries, List<RegistryProblem> problems) {
    public RegistryScan {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }
}
