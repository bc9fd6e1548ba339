package io.jneuron.core.hub;

/**
 * One row of a tree listing.
 *
 * @param path      path from the repo root, '/'-separated
 * @param directory true for a folder
 * @param size      bytes (0 for a folder)
 * @param oid       git object id
 * @param lfsSha256 the LFS object's sha256 when the file is stored in LFS, else null
 */
public record TreeEntry(String path, boolean directory, long size, String oid, String lfsSha256) {
    public boolean isLfs() {
        return lfsSha256 != null;
    }
}
