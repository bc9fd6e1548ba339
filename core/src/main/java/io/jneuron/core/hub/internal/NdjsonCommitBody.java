package io.jneuron.core.hub.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.hub.CommitOperation;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The commit request: an NDJSON stream of a header line and one line per operation ({@code file} with
 * base64 content, {@code lfsFile} with the object id, {@code deletedFile}). Inline files are encoded
 * while streaming, so a commit never holds them all in memory. It can be written more than once.
 */
final class NdjsonCommitBody extends RequestBody {
    private static final MediaType NDJSON = MediaType.get("application/x-ndjson");

    private final String message;
    private final String parent;
    private final List<CommitOperation> operations;
    private final Map<String, String> lfsOids;
    private final Map<String, Long> sizes;

    NdjsonCommitBody(String message, String parent, List<CommitOperation> operations, Map<String, String> lfsOids,
                     List<Uploader.LocalFile> files) {
        this.message = message;
        this.parent = parent;
        this.operations = List.copyOf(operations);
        this.lfsOids = Map.copyOf(lfsOids);
        this.sizes = files.stream().collect(java.util.stream.Collectors.toMap(f -> f.path, f -> f.size, (a, b) -> b));
    }

    @Override
    public MediaType contentType() {
        return NDJSON;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        ObjectNode header = HubHttp.JSON.createObjectNode().put("key", "header");
        ObjectNode hv = header.putObject("value").put("summary", message == null ? "Upload with jneuron" : message)
                .put("description", "");
        if (parent != null) {
            hv.put("parentCommit", parent);
        }
        line(sink, header);
        for (CommitOperation op : operations) {
            String path = op.pathInRepo();
            if (op instanceof CommitOperation.Delete) {
                ObjectNode n = HubHttp.JSON.createObjectNode().put("key", "deletedFile");
                n.putObject("value").put("path", path);
                line(sink, n);
            } else if (op instanceof CommitOperation.Add && lfsOids.containsKey(path)) {
                ObjectNode n = HubHttp.JSON.createObjectNode().put("key", "lfsFile");
                n.putObject("value").put("path", path).put("algo", "sha256").put("oid", lfsOids.get(path))
                        .put("size", sizes.get(path));
                line(sink, n);
            } else if (op instanceof CommitOperation.Add add) {
                String prefix = "{\"key\":\"file\",\"value\":{\"path\":" + HubHttp.JSON.writeValueAsString(path)
                        + ",\"encoding\":\"base64\",\"content\":\"";
                sink.writeUtf8(prefix);
                // wrap() would close the sink with the encoder; a non-closing view keeps the stream open.
                OutputStream raw = sink.outputStream();
                OutputStream view = new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        raw.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        raw.write(b, off, len);
                    }
                };
                try (OutputStream enc = Base64.getEncoder().wrap(view); InputStream in = Files.newInputStream(add.file())) {
                    in.transferTo(enc);
                }
                sink.writeUtf8("\"}}\n");
            }
        }
    }

    private static void line(BufferedSink sink, ObjectNode node) throws IOException {
        sink.write(HubHttp.JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8));
        sink.writeUtf8("\n");
    }
}
