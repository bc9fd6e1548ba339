package io.jneuron.core.hub;

/**
 * The result of a commit.
 *
 * @param oid the new commit id
 * @param url the commit's page, as the Hub gave it (may be null)
 */
public record CommitInfo(String oid, String url) {
}
