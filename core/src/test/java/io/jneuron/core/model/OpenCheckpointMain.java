package io.jneuron.core.model;

import java.nio.file.Path;

/** Opens the checkpoint named by the first argument in a child JVM (for working-directory-relative paths). */
public final class OpenCheckpointMain {
    private OpenCheckpointMain() {
    }

    public static void main(String[] args) {
        Checkpoint c = Checkpoint.open(Path.of(args[0]));
        System.out.println("opened " + c.tensorNames().size() + " tensors");
    }
}
