package io.jneuron.core.cache;

import java.nio.file.Path;

/**
 * Where {@link Registry#write} put an entry.
 *
 * @param canonical {@code 0_REGISTRY/<version>/<arch digest>/<hash>.json}
 * @param alias {@code 0_REGISTRY/<version>/<model_type>/<org>/<name>/<hash>.json} (a symlink, or a copy)
 * @param created false when an identical entry was there already
 */
public record WrittenEntry(Path canonical, Path alias, boolean created) {
}
