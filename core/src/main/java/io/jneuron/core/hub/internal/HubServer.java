package io.jneuron.core.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jneuron.core.hub.HubToken;
import io.jneuron.core.hub.internal.Exchanges.HttpError;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Hub-compatible HTTP server behind {@code LocalHub}: routes the Hub API subset (repo info, tree,
 * resolve, create, preupload, LFS batch, commit) to {@link RepoStore}, {@link ResolveHandler} and
 * {@link ServerUploads}, and checks the bearer token when one is configured. It logs nothing.
 */
public final class HubServer implements AutoCloseable {
    private static final long JSON_LIMIT = 16L << 20;
    /**
     * Requests handled at once. The JDK server reads a request's headers on a worker, so a slow or stalled client
     * holds one until its request timeout: the pool is sized so that a few dozen of them cannot starve the others.
     */
    static final int WORKERS = 64;
    /** Default limit, in seconds, on receiving one request (headers and body) and on sending one reply. */
    public static final long DEFAULT_REQUEST_TIMEOUT_S = 300;
    private static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";
    private static final String MAX_RSP_TIME = "sun.net.httpserver.maxRspTime";

    static {
        requestTimeout(DEFAULT_REQUEST_TIMEOUT_S, false);
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final RepoStore store;
    private final ServerUploads uploads;
    private final HubToken token;
    private final int pageSize;
    private final String baseUrl;

    public HubServer(Path dir, String host, int port, HubToken token, long lfsThreshold, int pageSize) throws IOException {
        this.store = new RepoStore(dir, lfsThreshold);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.uploads = new ServerUploads(store, secret);
        this.token = token;
        this.pageSize = pageSize;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        this.pool = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, "jneuron-hub-serve");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
        String h = server.getAddress().getAddress().getHostAddress();
        this.baseUrl = "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + server.getAddress().getPort();
    }

    /**
     * Closes any connection that takes longer than {@code seconds} to send its request or to take its reply. The
     * JDK server reads this once per JVM, when it first starts a server: call it before that (a later call has
     * no effect), as {@code hub serve --request-timeout} does.
     *
     * @param override false to keep a value already set with {@code -Dsun.net.httpserver.maxReqTime}
     */
    public static void requestTimeout(long seconds, boolean override) {
        for (String p : new String[] {MAX_REQ_TIME, MAX_RSP_TIME}) {
            if (override || System.getProperty(p) == null) {
                System.setProperty(p, Long.toString(seconds));
            }
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                route(ex, Exchanges.segments(ex.getRequestURI().getRawPath()));
            } catch (HttpError e) {
                Exchanges.error(ex, e);
            } catch (RuntimeException | IOException e) {
                // No details on the wire: they could name server paths.
                Exchanges.error(ex, new HttpError(500, null, "internal error (" + e.getClass().getSimpleName() + ")"));
            }
        }
    }

    private void route(HttpExchange ex, List<String> s) throws IOException {
        String method = ex.getRequestMethod();
        if (s.size() >= 3 && s.get(0).equals("api") && s.get(1).equals("jneuron-lfs")) {
            lfsObject(ex, s, method); // signed URLs instead of the bearer token, as presigned storage URLs are
            return;
        }
        authenticate(ex);
        if (s.size() >= 2 && s.get(0).equals("api")) {
            if (s.size() == 3 && s.get(1).equals("repos") && s.get(2).equals("create") && method.equals("POST")) {
                createRepo(ex);
            } else if (s.size() == 2 && s.get(1).equals("whoami-v2")) {
                Exchanges.json(ex, 200, HubHttp.JSON.createObjectNode().put("type", "user").put("name", "local"));
            } else if (s.size() >= 4 && s.get(1).equals("models")) {
                modelApi(ex, s, method);
            } else {
                throw new HttpError(404, null, "no such API route");
            }
        } else if (s.size() >= 5 && s.get(2).equals("resolve") && (method.equals("GET") || method.equals("HEAD"))) {
            String repo = s.get(0) + "/" + s.get(1);
            String rev = s.get(3);
            String path = String.join("/", s.subList(4, s.size()));
            ResolveHandler file;
            synchronized (store.lock(repo)) {
                file = ResolveHandler.open(store, store.file(repo, path), store.checkRevision(repo, rev));
            }
            try (file) {
                file.send(ex); // outside the lock: a slow download must not hold up commits
            }
        } else if (s.size() == 6 && s.get(1).endsWith(".git") && String.join("/", s.subList(2, 6)).equals("info/lfs/objects/batch")) {
            lfsBatch(ex, s.get(0) + "/" + s.get(1).substring(0, s.get(1).length() - 4));
        } else {
            throw new HttpError(404, null, "no such route");
        }
    }

    private void authenticate(HttpExchange ex) {
        if (token == null) {
            return;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !token.matches(auth.substring(7).strip())) {
            throw new HttpError(401, null, "Invalid credentials in Authorization header");
        }
    }

    private void modelApi(HttpExchange ex, List<String> s, String method) throws IOException {
        String repo = s.get(2) + "/" + s.get(3);
        String verb = s.size() > 4 ? s.get(4) : "";
        switch (verb) {
            case "" -> info(ex, repo, "main");
            case "revision" -> info(ex, repo, arg(s, 5));
            case "tree" -> tree(ex, repo, arg(s, 5), String.join("/", s.subList(Math.min(6, s.size()), s.size())));
            case "preupload" -> preupload(ex, repo);
            case "commit" -> {
                if (!method.equals("POST") || !"main".equals(arg(s, 5))) {
                    throw new HttpError(400, null, "this server commits to main only");
                }
                Exchanges.json(ex, 200, uploads.commit(repo, ex.getRequestBody(), baseUrl(ex)));
            }
            default -> throw new HttpError(404, null, "no such API route");
        }
    }

    private static String arg(List<String> s, int i) {
        if (i >= s.size()) {
            throw new HttpError(400, null, "missing revision");
        }
        return s.get(i);
    }

    private void info(HttpExchange ex, String repo, String rev) throws IOException {
        synchronized (store.lock(repo)) {
            String head = store.checkRevision(repo, rev);
            ObjectNode o = HubHttp.JSON.createObjectNode().put("_id", head).put("id", repo).put("modelId", repo)
                    .put("sha", head).put("private", store.isPrivate(repo)).put("gated", false).put("disabled", false);
            ArrayNode sib = o.putArray("siblings");
            for (RepoStore.Entry e : store.list(repo, "", true)) {
                if (!e.directory()) {
                    sib.addObject().put("rfilename", e.path());
                }
            }
            Exchanges.json(ex, 200, o);
        }
    }

    private void tree(HttpExchange ex, String repo, String rev, String folder) throws IOException {
        boolean recursive = "true".equals(Exchanges.query(ex, "recursive"));
        String cursor = Exchanges.query(ex, "cursor");
        int from = cursor != null && cursor.matches("\\d{1,9}") ? Integer.parseInt(cursor) : 0;
        List<RepoStore.Entry> all;
        synchronized (store.lock(repo)) {
            store.checkRevision(repo, rev);
            all = store.list(repo, folder, recursive);
        }
        ArrayNode page = HubHttp.JSON.createArrayNode();
        for (RepoStore.Entry e : all.subList(Math.min(from, all.size()), Math.min(from + pageSize, all.size()))) {
            ObjectNode o = page.addObject().put("type", e.directory() ? "directory" : "file").put("size", e.size())
                    .put("path", e.path());
            o.put("oid", e.directory() ? Hashing.hex("SHA-1", "tree " + e.path()) : e.hashes().gitOid());
            if (e.hashes() != null && e.hashes().sha256() != null) {
                o.putObject("lfs").put("oid", e.hashes().sha256()).put("size", e.size()).put("pointerSize", 134);
            }
        }
        if (from + pageSize < all.size()) {
            String q = "recursive=" + recursive + "&expand=false&cursor=" + (from + pageSize);
            ex.getResponseHeaders().set("Link", "<" + baseUrl(ex) + ex.getRequestURI().getRawPath() + "?" + q + ">; rel=\"next\"");
        }
        Exchanges.json(ex, 200, page);
    }

    private void createRepo(HttpExchange ex) throws IOException {
        JsonNode body = Exchanges.jsonBody(ex, JSON_LIMIT);
        String type = body.path("type").asText("model");
        if (!type.equals("model")) {
            throw new HttpError(400, null, "this server holds model repos only");
        }
        String repo = body.path("organization").asText("local") + "/" + body.path("name").asText("");
        boolean isPrivate = body.path("private").asBoolean(false) || "private".equals(body.path("visibility").asText());
        Path dir = store.repoDir(repo);
        synchronized (store.lock(repo)) {
            if (Files.exists(dir)) {
                throw new HttpError(409, null, "You already created this model repo");
            }
            Files.createDirectories(dir);
            if (isPrivate) {
                store.markPrivate(repo);
            }
        }
        Exchanges.json(ex, 200, HubHttp.JSON.createObjectNode().put("url", baseUrl(ex) + "/" + repo).put("name", repo).put("id", repo));
    }

    private void preupload(HttpExchange ex, String repo) throws IOException {
        JsonNode body = Exchanges.jsonBody(ex, JSON_LIMIT);
        store.repo(repo);
        ObjectNode out = HubHttp.JSON.createObjectNode();
        ArrayNode files = out.putArray("files");
        for (JsonNode f : body.path("files")) {
            String path = RepoStore.checkPath(f.path("path").asText(null));
            files.addObject().put("path", path).put("uploadMode", f.path("size").asLong() >= store.lfsThreshold ? "lfs" : "regular")
                    .put("shouldIgnore", false);
        }
        Exchanges.json(ex, 200, out);
    }

    private void lfsBatch(HttpExchange ex, String repo) throws IOException {
        JsonNode body = Exchanges.jsonBody(ex, JSON_LIMIT);
        store.repo(repo);
        ObjectNode out = HubHttp.JSON.createObjectNode().put("transfer", "basic");
        ArrayNode objects = out.putArray("objects");
        for (JsonNode o : body.path("objects")) {
            String oid = o.path("oid").asText("");
            long size = o.path("size").asLong(-1);
            if (!oid.matches("[0-9a-f]{64}") || size < 0) {
                throw new HttpError(400, null, "LFS objects need a sha256 oid and a size");
            }
            ObjectNode r = objects.addObject().put("oid", oid).put("size", size).put("authenticated", true);
            if (!Files.isRegularFile(uploads.staged(oid))) {
                String href = baseUrl(ex) + "/api/jneuron-lfs/" + oid + "?size=" + size + "&sig=" + uploads.sign(oid, size);
                ObjectNode actions = r.putObject("actions");
                actions.putObject("upload").put("href", href).putObject("header");
                actions.putObject("verify").put("href", href + "&verify=1").putObject("header");
            }
        }
        Exchanges.json(ex, 200, "application/vnd.git-lfs+json", out);
    }

    private void lfsObject(HttpExchange ex, List<String> s, String method) throws IOException {
        String oid = s.get(2);
        String size = Exchanges.query(ex, "size");
        if (s.size() != 3 || !oid.matches("[0-9a-f]{64}") || !uploads.signatureOk(oid, size, Exchanges.query(ex, "sig"))) {
            throw new HttpError(403, null, "invalid or unsigned LFS upload URL");
        }
        if (method.equals("PUT")) {
            uploads.putObject(oid, Long.parseLong(size), ex.getRequestBody());
        } else if (!method.equals("POST") || !Files.isRegularFile(uploads.staged(oid))) {
            throw new HttpError(404, null, "LFS object not uploaded");
        }
        ex.getResponseHeaders().set("ETag", "\"" + oid + "\"");
        Exchanges.json(ex, 200, HubHttp.JSON.createObjectNode());
    }

    /** Links (pagination, uploads) point back at the address the client used, if it looks like a host; else at ours. */
    private String baseUrl(HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        return host != null && host.matches("[A-Za-z0-9.\\-]{1,253}(:\\d{1,5})?|\\[[0-9A-Fa-f:.]{2,45}](:\\d{1,5})?")
                ? "http://" + host : baseUrl;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
