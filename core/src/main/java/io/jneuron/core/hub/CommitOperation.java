package io.jneuron.core.hub;

import java.nio.file.Path;

/** One change in a commit: add or replace a file from disk, or delete a file. */
public sealed interface CommitOperation permits CommitOperation.Add, CommitOperation.Delete {

    /** The path inside the repo, '/'-separated, relative. */
    String pathInRepo();

    /** Upload {@code file} as {@code pathInRepo}; it is read when the commit runs, so it must not change before. */
    record Add(String pathInRepo, Path file) implements CommitOperation {
    }

    record Delete(String pathInRepo) implements CommitOperation {
    }

    static CommitOperation add(String pathInRepo, Path file) {
        return new Add(pathInRepo, file);
    }

    static CommitOperation delete(String pathInRepo) {
        return new Delete(pathInRepo);
    }
}
