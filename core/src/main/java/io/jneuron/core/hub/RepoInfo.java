package io.jneuron.core.hub;

import java.util.List;

/**
 * What {@code GET /api/models/{repo}} says about a repo.
 *
 * @param id        the repo id
 * @param sha       the commit the revision points to (40 hex)
 * @param isPrivate whether the repo is private
 * @param files     every file path at that commit ({@code siblings})
 */
public record RepoInfo(String id, String sha, boolean isPrivate, List<String> files) {
    public RepoInfo {
        files = List.copyOf(files);
    }
}
