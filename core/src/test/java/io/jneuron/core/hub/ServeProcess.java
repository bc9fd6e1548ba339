package io.jneuron.core.hub;

import io.jneuron.core.cli.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code jneuron hub serve} in its own JVM, as a user runs it: the hostile-client tests talk to a real process. */
final class ServeProcess implements AutoCloseable {
    final Process process;
    final String url;
    final URI uri;

    private ServeProcess(Process process, String url) {
        this.process = process;
        this.url = url;
        this.uri = URI.create(url);
    }

    /** Starts {@code hub serve DIR --port 0 ARGS...} with the given JVM heap, and waits for its URL. */
    static ServeProcess start(Path dir, String heap, Path stderr, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "hub", "serve", dir.toString(), "--port", "0"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.contains(" at http://")) {
            p.destroyForcibly();
            throw new IOException("hub serve did not start: " + line + " / " + Files.readString(stderr));
        }
        return new ServeProcess(p, line.replaceAll(".* at (http://\\S+).*", "$1"));
    }

    /** One raw request on a fresh connection (no client library tidies the path), the whole answer as text. */
    String raw(String method, String path, String body) throws IOException {
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(30_000);
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + uri.getAuthority() + "\r\nContent-Length: " + b.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Resident set size of the server process, from /proc (Linux). */
    long rssBytes() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D+", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
