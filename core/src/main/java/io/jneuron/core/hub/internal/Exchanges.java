package io.jneuron.core.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Small helpers for the server's {@link HttpExchange}s: JSON replies, Hub-style errors, bounded bodies, path decoding. */
final class Exchanges {
    private Exchanges() {
    }

    /** A failure the server answers with a status, the Hub's {@code X-Error-Code} (may be null) and a message. */
    static final class HttpError extends RuntimeException {
        final int status;
        final String errorCode;

        HttpError(int status, String errorCode, String message) {
            super(message, null, false, false);
            this.status = status;
            this.errorCode = errorCode;
        }
    }

    static void json(HttpExchange ex, int status, Object body) throws IOException {
        json(ex, status, "application/json", body);
    }

    static void json(HttpExchange ex, int status, String contentType, Object body) throws IOException {
        byte[] bytes = HubHttp.JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", contentType + "; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void error(HttpExchange ex, HttpError e) throws IOException {
        if (e.errorCode != null) {
            ex.getResponseHeaders().set("X-Error-Code", e.errorCode);
        }
        ex.getResponseHeaders().set("X-Error-Message", e.getMessage());
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(e.status, -1);
            ex.close();
            return;
        }
        json(ex, e.status, HubHttp.JSON.createObjectNode().put("error", e.getMessage()));
    }

    /**
     * Reads a request body of at most {@code max} bytes, else 413. A declared length over {@code max} is refused
     * before a byte is read, and a declared body is read into one array of its size: a growing buffer would
     * briefly need three times the limit, enough for one hostile request to exhaust a small heap.
     */
    static byte[] body(HttpExchange ex, long max) throws IOException {
        long declared = declaredLength(ex);
        if (declared > max) {
            throw new HttpError(413, null, "request body of " + declared + " bytes is larger than " + max + " bytes");
        }
        try (InputStream in = ex.getRequestBody()) {
            if (declared >= 0) {
                byte[] b = new byte[(int) declared];
                int got = in.readNBytes(b, 0, b.length);
                if (got != declared) {
                    throw new HttpError(400, null, "request body ended after " + got + " of " + declared + " bytes");
                }
                return b;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) != -1; ) {
                if (out.size() + n > max) {
                    throw new HttpError(413, null, "request body larger than " + max + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    /** Content-Length, or -1 when absent or not a plain number (chunked bodies are read with the running check). */
    private static long declaredLength(HttpExchange ex) {
        String v = ex.getRequestHeaders().getFirst("Content-Length");
        if (v == null || !v.strip().matches("\\d{1,18}")) {
            return -1;
        }
        return Long.parseLong(v.strip());
    }

    static JsonNode jsonBody(HttpExchange ex, long max) throws IOException {
        try {
            return HubHttp.JSON.readTree(body(ex, max));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new HttpError(400, null, "request body is not valid JSON");
        }
    }

    /** Splits a raw path into percent-decoded segments; '%2F' inside a segment stays part of that segment. */
    static List<String> segments(String rawPath) {
        return Arrays.stream(rawPath.split("/")).filter(raw -> !raw.isEmpty()).map(Exchanges::decode).toList();
    }

    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new HttpError(400, null, "bad percent-encoding in the path");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new HttpError(400, null, "bad percent-encoding in the path");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The query parameter's raw value, or null. */
    static String query(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            String k = eq < 0 ? kv : kv.substring(0, eq);
            if (k.equals(name)) {
                return eq < 0 ? "" : decode(kv.substring(eq + 1));
            }
        }
        return null;
    }
}
