package io.jneuron.core.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a real server that slows its answers: at most {@code bytesPerSecond}, and nothing at
 * all once {@code stallAfter} bytes went out on a connection (the connection stays open, silent). Requests pass
 * unchanged. What a slow mirror, a congested link or a hung CDN looks like to a client.
 */
final class TrickleProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps = new CopyOnWriteArrayList<>();
    private final String upstreamHost;
    private final int upstreamPort;
    private final long bytesPerSecond;
    private final long stallAfter;

    TrickleProxy(String upstreamHost, int upstreamPort, long bytesPerSecond, long stallAfter) throws IOException {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.bytesPerSecond = bytesPerSecond;
        this.stallAfter = stallAfter;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "trickle-proxy");
        t.setDaemon(true);
        t.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(upstreamHost, upstreamPort);
                sockets.add(client);
                sockets.add(upstream);
                start(() -> pump(client, upstream, Long.MAX_VALUE, Long.MAX_VALUE));
                start(() -> pump(upstream, client, bytesPerSecond, stallAfter));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void start(Runnable r) {
        Thread t = new Thread(r, "trickle-pump");
        t.setDaemon(true);
        pumps.add(t);
        t.start();
    }

    /** Copies in slices of a tenth of the rate per 100 ms; past {@code stallAfter} it keeps the socket and sends nothing. */
    private static void pump(Socket from, Socket to, long rate, long stallAfter) {
        int slice = (int) Math.min(64 * 1024, Math.max(1, rate / 10));
        byte[] buf = new byte[slice];
        long sent = 0;
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf, 0, (int) Math.min(slice, Math.max(1, stallAfter - sent)))) != -1; ) {
                out.write(buf, 0, n);
                out.flush();
                sent += n;
                if (sent >= stallAfter) {
                    Thread.sleep(Long.MAX_VALUE);
                }
                if (rate != Long.MAX_VALUE) {
                    Thread.sleep(100L * n / slice);
                }
            }
            to.shutdownOutput();
        } catch (IOException | InterruptedException e) {
            // the other side closed, or the proxy is closing
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        pumps.forEach(Thread::interrupt);
    }
}
