package io.jneuron.core.cache;

/**
 * The verdict on one registry file ({@code cache verify}, docs/cli.md).
 *
 * @param path relative to the cache root
 * @param ok true when the content re-hashes to its file name (and, in the arch-digest layout, its config to its folder)
 * @param reason why it is not ok, or which recipe confirmed it
 */
public record VerifyResult(String path, boolean ok, String reason) {
}
