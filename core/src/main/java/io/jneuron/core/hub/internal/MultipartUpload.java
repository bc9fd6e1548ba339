package io.jneuron.core.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.hub.HubException;
import io.jneuron.core.hub.HubException.Kind;
import io.jneuron.core.hub.internal.HubHttp.Subject;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Hub's multipart LFS transfer for large files: the batch answer's header holds {@code chunk_size} and
 * one presigned URL per part ("1", "2", …); each part is PUT, its ETag kept, and the list is POSTed to the
 * action's href to complete the object.
 */
record MultipartUpload(HubHttp http, Path file, long size, String oid, JsonNode action, Subject subject) {
    void run() {
        JsonNode header = action.path("header");
        long chunk = header.path("chunk_size").asLong(-1);
        List<String> parts = new ArrayList<>();
        header.fieldNames().forEachRemaining(k -> {
            if (k.matches("\\d{1,5}")) {
                parts.add(k);
            }
        });
        parts.sort((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
        if (chunk <= 0 || parts.size() != (size + chunk - 1) / chunk) {
            throw new HubException(Kind.INVALID, 0, null, subject.what() + " failed: the LFS server asked for "
                    + parts.size() + " parts of " + chunk + " bytes for a file of " + size + " bytes");
        }
        ObjectNode complete = HubHttp.JSON.createObjectNode().put("oid", oid);
        ArrayNode done = complete.putArray("parts");
        for (String part : parts) {
            int n = Integer.parseInt(part);
            long offset = (n - 1) * chunk;
            long length = Math.min(chunk, size - offset);
            Request req = new Request.Builder().url(Uploader.parseUrl(header.path(part).asText(""), subject))
                    .put(slice(file, offset, length)).build();
            try (Response r = http.execute(http.client, req, subject, true)) {
                String etag = r.header("ETag");
                if (etag == null) {
                    throw new HubException(Kind.INVALID, r.code(), null, subject.what() + " failed: part " + n + " got no ETag");
                }
                done.addObject().put("partNumber", n).put("etag", etag);
            }
        }
        Request finish = new Request.Builder().url(Uploader.href(action, subject)).header("Accept", "application/vnd.git-lfs+json")
                .post(RequestBody.create(complete.toString(), MediaType.get("application/vnd.git-lfs+json"))).build();
        http.execute(http.client, finish, subject, true).close();
    }

    /** One part of the file, read from disk when sent (and again if the request is retried). */
    private static RequestBody slice(Path file, long offset, long length) {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return null;
            }

            @Override
            public long contentLength() {
                return length;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                try (InputStream in = Files.newInputStream(file)) {
                    in.skipNBytes(offset);
                    byte[] buf = new byte[64 * 1024];
                    long left = length;
                    while (left > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            throw new IOException(file + " shrank while uploading");
                        }
                        sink.write(buf, 0, n);
                        left -= n;
                    }
                }
            }
        };
    }
}
