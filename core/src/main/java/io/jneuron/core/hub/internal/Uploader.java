package io.jneuron.core.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.hub.CommitInfo;
import io.jneuron.core.hub.CommitOperation;
import io.jneuron.core.hub.HubException;
import io.jneuron.core.hub.HubException.Kind;
import io.jneuron.core.hub.internal.HubHttp.Subject;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Commits by the Hub's commit API: {@code preupload} sorts files into inline ("regular") and LFS; LFS
 * files go through the {@code objects/batch} endpoint (basic or multipart PUT, then verify); the commit
 * itself is one NDJSON request (header, then one line per file). The commit carries a parent commit;
 * when the caller gave none, a 409/412 means someone else committed first, so the head is re-read and
 * the commit re-sent, a bounded number of times with backoff (as optimum-neuron's synchronize does).
 *
 * @param headOf reads the current head commit of the repo (a repo-info call)
 */
record Uploader(HubHttp http, Supplier<String> headOf) {
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final MediaType LFS_TYPE = MediaType.get("application/vnd.git-lfs+json");
    private static final long JSON_LIMIT = 16L << 20;

    CommitInfo commit(String repo, List<CommitOperation> operations, String message, String parentCommit) {
        Subject s = new Subject("committing to '" + repo + "'", repo, "main", null);
        List<LocalFile> files = new ArrayList<>();
        for (CommitOperation op : operations) {
            Names.path(op.pathInRepo(), false);
            if (op instanceof CommitOperation.Add add) {
                files.add(LocalFile.of(add));
            }
        }
        Map<String, String> lfsOids = new HashMap<>();
        for (int i = 0; i < files.size(); i += 100) {
            List<LocalFile> chunk = files.subList(i, Math.min(files.size(), i + 100));
            for (LocalFile f : preupload(repo, chunk, s)) {
                lfsOids.put(f.path, f.sha256());
            }
            uploadLfs(repo, chunk.stream().filter(f -> lfsOids.containsKey(f.path)).toList(), s);
        }
        String parent = parentCommit != null ? parentCommit : headOf.get();
        for (int attempt = 1; ; attempt++) {
            Request req = new Request.Builder().url(http.url().addPathSegments("api/models/" + repo + "/commit/main").build())
                    .post(new NdjsonCommitBody(message, parent, operations, lfsOids, files)).build();
            try {
                JsonNode json = http.readJson(http.execute(http.client, req, s, false), JSON_LIMIT, s);
                return new CommitInfo(json.path("commitOid").asText(null), json.path("commitUrl").asText(null));
            } catch (HubException e) {
                if (e.kind() != Kind.CONFLICT || parentCommit != null || attempt >= http.maxAttempts) {
                    throw e;
                }
                http.pause(attempt, null);
                parent = headOf.get();
            }
        }
    }

    /** Returns the files the Hub wants through LFS. */
    private List<LocalFile> preupload(String repo, List<LocalFile> chunk, Subject s) {
        ObjectNode body = HubHttp.JSON.createObjectNode();
        ArrayNode arr = body.putArray("files");
        for (LocalFile f : chunk) {
            arr.addObject().put("path", f.path).put("size", f.size).put("sample", Base64.getEncoder().encodeToString(f.sample()));
        }
        Request req = new Request.Builder().url(http.url().addPathSegments("api/models/" + repo + "/preupload/main").build())
                .post(RequestBody.create(body.toString(), JSON_TYPE)).build();
        JsonNode json = http.readJson(http.execute(http.client, req, s, true), JSON_LIMIT, s);
        List<LocalFile> lfs = new ArrayList<>();
        for (JsonNode f : json.path("files")) {
            String mode = f.path("uploadMode").asText();
            chunk.stream().filter(c -> c.path.equals(f.path("path").asText()) && mode.equals("lfs")).findFirst().ifPresent(lfs::add);
        }
        return lfs;
    }

    private void uploadLfs(String repo, List<LocalFile> lfs, Subject s) {
        if (lfs.isEmpty()) {
            return;
        }
        ObjectNode body = HubHttp.JSON.createObjectNode().put("operation", "upload").put("hash_algo", "sha_256");
        body.putArray("transfers").add("basic").add("multipart");
        body.putObject("ref").put("name", "main");
        ArrayNode objects = body.putArray("objects");
        Map<String, LocalFile> byOid = new HashMap<>();
        for (LocalFile f : lfs) {
            objects.addObject().put("oid", f.sha256()).put("size", f.size);
            byOid.put(f.sha256(), f);
        }
        Request req = new Request.Builder().url(http.url().addPathSegments(repo + ".git/info/lfs/objects/batch").build())
                .header("Accept", "application/vnd.git-lfs+json").post(RequestBody.create(body.toString(), LFS_TYPE)).build();
        JsonNode json = http.readJson(http.execute(http.client, req, s, true), JSON_LIMIT, s);
        for (JsonNode obj : json.path("objects")) {
            LocalFile f = byOid.get(obj.path("oid").asText());
            if (f == null) {
                throw new HubException(Kind.INVALID, 0, null, s.what() + " failed: the LFS batch answered for an object we did not ask about");
            }
            if (obj.has("error")) {
                throw new HubException(Kind.OTHER, obj.path("error").path("code").asInt(), null, s.what() + " failed: LFS refused '"
                        + f.path + "': " + Names.printable(obj.path("error").path("message").asText()));
            }
            JsonNode upload = obj.path("actions").path("upload");
            if (upload.isMissingNode()) {
                continue; // the Hub has this object already
            }
            Subject fs = new Subject("uploading '" + f.path + "' to '" + repo + "'", repo, "main", f.path);
            if (upload.path("header").has("chunk_size")) {
                new MultipartUpload(http, f.file, f.size, f.sha256(), upload, fs).run();
            } else {
                put(upload, RequestBody.create(f.file.toFile(), null), fs).close();
            }
            JsonNode verify = obj.path("actions").path("verify");
            if (!verify.isMissingNode()) {
                ObjectNode v = HubHttp.JSON.createObjectNode().put("oid", f.sha256()).put("size", f.size);
                Request.Builder vb = new Request.Builder().url(href(verify, fs)).post(RequestBody.create(v.toString(), LFS_TYPE));
                verify.path("header").fields().forEachRemaining(e -> vb.header(e.getKey(), e.getValue().asText()));
                http.execute(http.client, vb.build(), fs, true).close();
            }
        }
    }

    Response put(JsonNode action, RequestBody body, Subject s) {
        Request.Builder b = new Request.Builder().url(href(action, s)).put(body);
        action.path("header").fields().forEachRemaining(e -> {
            if (!e.getKey().equals("chunk_size") && !e.getKey().matches("\\d+")) {
                b.header(e.getKey(), e.getValue().asText());
            }
        });
        return http.execute(http.client, b.build(), s, true);
    }

    static HttpUrl href(JsonNode action, Subject s) {
        return parseUrl(action.path("href").asText(""), s);
    }

    static HttpUrl parseUrl(String text, Subject s) {
        HttpUrl url = HttpUrl.parse(text);
        if (url == null) {
            throw new HubException(Kind.INVALID, 0, null, s.what() + " failed: the LFS server gave no valid upload URL");
        }
        return url;
    }

    /** A file to add, with its size fixed when the commit starts and its sha256 computed once, on demand. */
    static final class LocalFile {
        final String path;
        final Path file;
        final long size;
        private String sha256;

        private LocalFile(String path, Path file, long size) {
            this.path = path;
            this.file = file;
            this.size = size;
        }

        static LocalFile of(CommitOperation.Add add) {
            try {
                if (!Files.isRegularFile(add.file())) {
                    throw new HubException(Kind.INVALID, 0, null, "cannot upload " + add.file() + " as '" + add.pathInRepo()
                            + "': it is not a regular file");
                }
                return new LocalFile(add.pathInRepo(), add.file(), Files.size(add.file()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + add.file(), e);
            }
        }

        byte[] sample() {
            try (InputStream in = Files.newInputStream(file)) {
                return in.readNBytes(512);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        synchronized String sha256() {
            if (sha256 == null) {
                sha256 = Hashing.sha256(file);
            }
            return sha256;
        }
    }
}
