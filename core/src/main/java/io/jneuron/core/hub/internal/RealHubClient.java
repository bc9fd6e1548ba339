package io.jneuron.core.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.hub.CommitInfo;
import io.jneuron.core.hub.CommitOperation;
import io.jneuron.core.hub.HubCache;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.hub.HubException;
import io.jneuron.core.hub.HubException.Kind;
import io.jneuron.core.hub.RepoInfo;
import io.jneuron.core.hub.TreeEntry;
import io.jneuron.core.hub.internal.HubHttp.Subject;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/** The {@link HubClient} over OkHttp: repo info, tree listing and repo creation here; downloads and commits delegate. */
public final class RealHubClient implements HubClient {
    private static final long INFO_LIMIT = 32L << 20;
    private static final long PAGE_LIMIT = 16L << 20;
    private static final int MAX_PAGES = 10_000;
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final HubHttp http;
    private final HubCache cache;
    private final Downloader downloader;

    public RealHubClient(HubConfig config, List<Interceptor> interceptors, long retryBaseMillis, int maxAttempts) {
        this.http = new HubHttp(config, interceptors, retryBaseMillis, maxAttempts);
        this.cache = new HubCache(config.hubCache());
        this.downloader = new Downloader(http, cache);
    }

    @Override
    public RepoInfo repoInfo(String repo, String revision) {
        Names.repo(repo);
        String rev = Names.revision(revision);
        Subject s = new Subject("reading info of '" + repo + "'", repo, rev, null);
        if (http.config.offline()) {
            String commit = cache.commitOf(repo, rev).orElseThrow(() -> offline(s, repo));
            return new RepoInfo(repo, commit, false, cache.cachedFiles(repo, commit));
        }
        HttpUrl.Builder url = http.url().addPathSegments("api/models/" + repo);
        if (revision != null) {
            url.addPathSegment("revision").addPathSegment(rev);
        }
        JsonNode json = http.readJson(http.execute(http.client, get(url.build()), s, true), INFO_LIMIT, s);
        String sha = json.path("sha").asText(null);
        if (!Names.isCommit(sha)) {
            throw new HubException(Kind.INVALID, 200, url.toString(), s.what() + " failed: the answer has no commit id (sha)");
        }
        List<String> files = StreamSupport.stream(json.path("siblings").spliterator(), false)
                .map(sib -> sib.path("rfilename").asText()).toList();
        return new RepoInfo(json.path("id").asText(repo), sha, json.path("private").asBoolean(false), files);
    }

    @Override
    public List<TreeEntry> listTree(String repo, String revision, String path, boolean recursive) {
        Names.repo(repo);
        String rev = Names.revision(revision);
        String folder = Names.path(path, true);
        Subject s = new Subject("listing '" + folder + "' in '" + repo + "'", repo, rev, folder);
        if (http.config.offline()) {
            return offlineTree(repo, rev, folder, recursive, s);
        }
        // Revision and path are each one percent-encoded segment ('/' as %2F), as huggingface_hub sends them.
        HttpUrl.Builder b = http.url().addPathSegments("api/models/" + repo + "/tree").addPathSegment(rev);
        if (!folder.isEmpty()) {
            b.addPathSegment(folder);
        }
        HttpUrl url = b.addQueryParameter("recursive", Boolean.toString(recursive)).addQueryParameter("expand", "false").build();
        List<TreeEntry> out = new ArrayList<>();
        Set<HttpUrl> seen = new HashSet<>();
        for (int page = 0; url != null; page++) {
            if (page >= MAX_PAGES || !seen.add(url)) {
                throw new HubException(Kind.INVALID, 0, HubHttp.redact(url), s.what() + " failed: the listing pages loop or never end");
            }
            Response r = http.execute(http.client, get(url), s, true);
            HttpUrl next;
            try {
                next = nextPage(r.header("Link"), s);
            } catch (HubException e) {
                r.close();
                throw e;
            }
            JsonNode json = http.readJson(r, PAGE_LIMIT, s);
            if (!json.isArray()) {
                throw new HubException(Kind.INVALID, 200, HubHttp.redact(url), s.what() + " failed: the answer is not a list");
            }
            for (JsonNode e : json) {
                String p = Names.path(e.path("path").asText(), false);
                JsonNode lfs = e.path("lfs");
                out.add(new TreeEntry(p, "directory".equals(e.path("type").asText()), e.path("size").asLong(),
                        e.path("oid").asText(null), lfs.isObject() ? lfs.path("oid").asText(null) : null));
            }
            url = next;
        }
        return out;
    }

    /** The Link header's next page; it must stay on the endpoint's origin (the token goes nowhere else anyway). */
    private HttpUrl nextPage(String link, Subject s) {
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        if (!m.find()) {
            return null;
        }
        HttpUrl next = http.endpoint.resolve(m.group(1));
        if (next == null || !next.host().equals(http.endpoint.host()) || next.port() != http.endpoint.port()
                || !next.scheme().equals(http.endpoint.scheme())) {
            throw new HubException(Kind.INVALID, 0, null, s.what() + " failed: the next page is on another server; refusing it");
        }
        return next;
    }

    private List<TreeEntry> offlineTree(String repo, String rev, String folder, boolean recursive, Subject s) {
        String commit = cache.commitOf(repo, rev).orElseThrow(() -> offline(s, repo));
        String prefix = folder.isEmpty() ? "" : folder + "/";
        List<TreeEntry> out = new ArrayList<>();
        Set<String> dirs = new HashSet<>();
        for (String f : cache.cachedFiles(repo, commit)) {
            if (!f.startsWith(prefix)) {
                continue;
            }
            String rest = f.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (recursive || slash < 0) {
                Path p = cache.snapshotFile(repo, commit, f);
                out.add(new TreeEntry(f, false, p.toFile().length(), null, null));
            }
            // Folders are listed too, as the Hub lists them: every ancestor when recursive, the first level otherwise.
            for (int i = rest.indexOf('/'); i >= 0 && (recursive || i == slash); i = rest.indexOf('/', i + 1)) {
                String d = prefix + rest.substring(0, i);
                if (dirs.add(d)) {
                    out.add(new TreeEntry(d, true, 0, null, null));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(TreeEntry::path));
        if (out.isEmpty() && !folder.isEmpty()) {
            throw new HubException(Kind.ENTRY_NOT_FOUND, 0, null, s.what() + " failed: nothing under '" + folder
                    + "' in the local Hub cache and HF_HUB_OFFLINE is set");
        }
        return out;
    }

    @Override
    public Path download(String repo, String revision, String path) {
        return downloader.download(Names.repo(repo), Names.revision(revision), Names.path(path, false));
    }

    @Override
    public HubClient onProgress(ProgressListener listener) {
        downloader.progress(listener);
        return this;
    }

    @Override
    public boolean exists(String repo, String revision, String path) {
        Names.repo(repo);
        String rev = Names.revision(revision);
        Names.path(path, false);
        if (http.config.offline()) {
            return cache.cachedFile(repo, rev, path).isPresent();
        }
        Subject s = new Subject("checking '" + path + "' in '" + repo + "'", repo, rev, path);
        try {
            Request req = new Request.Builder().url(downloader.resolveUrl(repo, rev, path)).head().build();
            http.execute(http.noRedirects, req, s, true).close();
            return true;
        } catch (HubException e) {
            if (e.kind() == Kind.ENTRY_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public String createRepo(String repo, boolean isPrivate) {
        Names.repo(repo);
        Subject s = new Subject("creating '" + repo + "'", repo, "main", null);
        if (http.config.offline()) {
            throw offline(s, repo);
        }
        int slash = repo.indexOf('/');
        ObjectNode body = HubHttp.JSON.createObjectNode().put("name", repo.substring(slash + 1)).put("type", "model")
                .put("private", isPrivate);
        if (slash > 0) {
            body.put("organization", repo.substring(0, slash));
        }
        Request req = new Request.Builder().url(http.url().addPathSegments("api/repos/create").build())
                .post(RequestBody.create(body.toString(), MediaType.get("application/json"))).build();
        JsonNode json = http.readJson(http.execute(http.client, req, s, false), INFO_LIMIT, s);
        // The Hub answers with the repo's page; its path is the full id (useful when no organization was given).
        HttpUrl page = HttpUrl.parse(json.path("url").asText(""));
        String id = page == null ? repo : String.join("/", page.pathSegments());
        return id.matches("[\\w.\\-]+(/[\\w.\\-]+)?") ? id : repo;
    }

    @Override
    public CommitInfo commit(String repo, List<CommitOperation> operations, String message, String parentCommit) {
        Names.repo(repo);
        Subject s = new Subject("committing to '" + repo + "'", repo, "main", null);
        if (http.config.offline()) {
            throw offline(s, repo);
        }
        if (parentCommit != null && !Names.isCommit(parentCommit)) {
            throw new HubException(Kind.INVALID, 0, null, "parent commit '" + Names.printable(parentCommit) + "' is not a commit id");
        }
        return new Uploader(http, () -> repoInfo(repo, null).sha()).commit(repo, operations, message, parentCommit);
    }

    private static Request get(HttpUrl url) {
        return new Request.Builder().url(url).header("Accept", "application/json").build();
    }

    private HubException offline(Subject s, String repo) {
        return new HubException(Kind.OFFLINE, 0, null, s.what() + " needs the network, but HF_HUB_OFFLINE is set and the "
                + "local Hub cache (" + cache.root() + ") cannot answer for '" + repo + "'; unset HF_HUB_OFFLINE to go online");
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "HubClient[" + http.config.endpoint() + (http.config.offline() ? ", offline" : "") + "]";
    }
}
