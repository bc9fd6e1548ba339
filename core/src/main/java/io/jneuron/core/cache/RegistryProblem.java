package io.jneuron.core.cache;

/**
 * A file or folder in a registry that was reported and skipped: malformed, too large, too deep, or a path
 * that would leave the cache root. Never fatal to a listing.
 *
 * @param path relative to the cache root
 * @param reason what is wrong, for the user
 */
public record RegistryProblem(String path, String reason) {
}
