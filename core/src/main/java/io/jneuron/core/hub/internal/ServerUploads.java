package io.jneuron.core.hub.internal;

import io.jneuron.core.files.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.hub.internal.Exchanges.HttpError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's write side: LFS objects PUT to signed URLs and staged under {@code DIR/.jneuron-hub/lfs}
 * (checked against their sha256 and size), and NDJSON commits that are parsed and staged in full before
 * anything in the repo changes, then applied under the repo's lock with a parent-commit check.
 */
final class ServerUploads {
    private final RepoStore store;
    private final byte[] secret;
    private final long maxLine;

    ServerUploads(RepoStore store, byte[] secret) {
        this.store = store;
        this.secret = secret.clone();
        // An inline file is base64 in one line: 4/3 of the LFS threshold, plus room for the JSON around it.
        this.maxLine = Math.max(1L << 20, store.lfsThreshold * 2);
    }

    Path staged(String oid) {
        return store.root.resolve(RepoStore.META).resolve("lfs").resolve(oid);
    }

    /** The signature that makes an upload URL usable without the bearer token (clients PUT to it bare, as to S3). */
    String sign(String oid, long size) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((oid + ":" + size).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean signatureOk(String oid, String size, String sig) {
        return sig != null && size != null && size.matches("\\d{1,15}")
                && MessageDigest.isEqual(sign(oid, Long.parseLong(size)).getBytes(), sig.getBytes());
    }

    /** Streams an LFS object to a temp file, bounded by its announced size, and keeps it only if its sha256 matches. */
    void putObject(String oid, long size, InputStream body) throws IOException {
        Path target = staged(oid);
        Files.createDirectories(target.getParent());
        Path tmp = AtomicFiles.tempBeside(target);
        try {
            MessageDigest md = Hashing.md("SHA-256");
            long total = 0;
            try (InputStream in = body; OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) != -1; ) {
                    total += n;
                    if (total > size) {
                        throw new HttpError(400, null, "object is larger than announced");
                    }
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            if (total != size || !HexFormat.of().formatHex(md.digest()).equals(oid)) {
                throw new HttpError(400, null, "object does not match its oid and size");
            }
            AtomicFiles.move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** One parsed line of a commit, staged: the temp file to move in (null for a delete). */
    private record Change(String path, Path staged, boolean delete, boolean folder) {
    }

    ObjectNode commit(String repo, InputStream body, String baseUrl) throws IOException {
        Path dir = store.repo(repo);
        Path tmpDir = Files.createDirectories(store.root.resolve(RepoStore.META).resolve("tmp"));
        List<Change> changes = new ArrayList<>();
        try (InputStream in = new java.io.BufferedInputStream(body, 1 << 16)) {
            JsonNode header = HubHttp.JSON.readTree(line(in));
            if (header == null || !"header".equals(header.path("key").asText())) {
                throw new HttpError(400, null, "the first NDJSON line must be the header");
            }
            String parent = header.path("value").path("parentCommit").asText(null);
            for (byte[] raw; (raw = line(in)) != null; ) {
                if (raw.length == 0) {
                    continue;
                }
                JsonNode n = HubHttp.JSON.readTree(raw);
                JsonNode v = n.path("value");
                String path = RepoStore.checkPath(v.path("path").asText(null));
                switch (n.path("key").asText()) {
                    case "file" -> {
                        if (!"base64".equals(v.path("encoding").asText("base64"))) {
                            throw new HttpError(400, null, "only base64 file content is supported");
                        }
                        Path tmp = Files.createTempFile(tmpDir, "inline", ".tmp");
                        changes.add(new Change(path, tmp, false, false));
                        Files.write(tmp, Base64.getDecoder().decode(v.path("content").asText("")));
                    }
                    case "lfsFile" -> {
                        String oid = v.path("oid").asText("");
                        Path obj = staged(oid);
                        if (!oid.matches("[0-9a-f]{64}") || !Files.isRegularFile(obj) || Files.size(obj) != v.path("size").asLong(-1)) {
                            throw new HttpError(422, null, "LFS object for '" + path + "' was not uploaded");
                        }
                        Path tmp = Files.createTempFile(tmpDir, "lfs", ".tmp");
                        changes.add(new Change(path, tmp, false, false));
                        Files.copy(obj, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    case "deletedFile" -> changes.add(new Change(path, null, true, false));
                    case "deletedFolder" -> changes.add(new Change(path, null, true, true));
                    default -> throw new HttpError(400, null, "unknown commit line '" + Names.printable(n.path("key").asText()) + "'");
                }
            }
            synchronized (store.lock(repo)) {
                if (parent != null && !parent.equals(store.head(repo))) {
                    throw new HttpError(412, null, "A commit has happened since. Please refresh and try again.");
                }
                for (Change c : changes) {
                    // Check every delete first, so a bad one refuses the whole commit before anything changes.
                    if (c.delete()) {
                        store.deletable(dir, c.path());
                    }
                }
                for (Change c : changes) {
                    apply(dir, c);
                }
                String sha = store.head(repo);
                return HubHttp.JSON.createObjectNode().put("success", true).put("commitOid", sha)
                        .put("commitUrl", baseUrl + "/" + repo + "/commit/" + sha).put("hookOutput", "");
            }
        } catch (com.fasterxml.jackson.core.JacksonException | IllegalArgumentException e) {
            throw new HttpError(400, null, "malformed commit line");
        } finally {
            for (Change c : changes) {
                if (c.staged() != null) {
                    Files.deleteIfExists(c.staged());
                }
            }
        }
    }

    private void apply(Path dir, Change c) throws IOException {
        if (!c.delete()) {
            AtomicFiles.move(c.staged(), store.writable(dir, c.path()));
            return;
        }
        Path target = store.deletable(dir, c.path()); // again: an earlier change of this commit may have made a link
        if (c.folder() && Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            AtomicFiles.deleteTree(target);
        } else {
            Files.delete(target);
        }
    }

    /** One NDJSON line without its newline, at most {@code maxLine} bytes; null at the end. */
    private byte[] line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (out.size() >= maxLine) {
                throw new HttpError(413, null, "commit line longer than " + maxLine + " bytes");
            }
            out.write(b);
        }
        return b == -1 && out.size() == 0 ? null : out.toByteArray();
    }
}
