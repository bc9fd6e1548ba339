package io.jneuron.core.hub.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET/HEAD /{repo}/resolve/{rev}/{path}} as the Hub answers it: {@code X-Repo-Commit}, an ETag that
 * is the git blob id (or the sha256 for LFS files, with {@code X-Linked-Etag} and {@code X-Linked-Size}),
 * and single byte ranges (206 with {@code Content-Range}) so clients can probe sizes and resume.
 */
record ResolveHandler(FileChannel channel, RepoStore.Hashes hashes, String head) implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    /** Opens the file while the caller holds the repo lock; the open channel keeps this version even if a commit replaces it. */
    static ResolveHandler open(RepoStore store, Path file, String head) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new ResolveHandler(ch, store.hashes(file), head);
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    void send(HttpExchange ex) throws IOException {
        long size = hashes.size();
        Headers h = ex.getResponseHeaders();
        h.set("X-Repo-Commit", head);
        h.set("Accept-Ranges", "bytes");
        h.set("Content-Type", "application/octet-stream");
        if (hashes.sha256() != null) {
            h.set("ETag", "\"" + hashes.sha256() + "\"");
            h.set("X-Linked-Etag", "\"" + hashes.sha256() + "\"");
            h.set("X-Linked-Size", Long.toString(size));
        } else {
            h.set("ETag", "\"" + hashes.gitOid() + "\"");
        }
        long start = 0;
        long end = size - 1;
        int status = 200;
        String range = ex.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : RANGE.matcher(range.strip());
        if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
            if (m.group(1).isEmpty()) {
                start = Math.max(0, size - Long.parseLong(m.group(2))); // suffix range: the last N bytes
            } else {
                start = Long.parseLong(m.group(1));
                end = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
            }
            if (start >= size || start > end) {
                h.set("Content-Range", "bytes */" + size);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            status = 206;
            h.set("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
        long length = size == 0 ? 0 : end - start + 1;
        if ("HEAD".equals(ex.getRequestMethod())) {
            h.set("Content-Length", Long.toString(length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        // Length 0 means "chunked" to HttpServer; -1 means no body, which is what an empty file has.
        ex.sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                InputStream in = Channels.newInputStream(channel.position(start));
                byte[] buf = new byte[64 * 1024];
                long left = length;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new IOException("file shrank while serving");
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
