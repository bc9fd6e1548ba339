package io.jneuron.neuron.compiler;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one external tool (neuronx-cc, optimum-cli) to completion, a timeout, or an interrupt. Its stdout and stderr
 * are merged, so the log keeps their order; every line goes to the listener and to the log file as it arrives.
 * On timeout and on interrupt the whole process tree is killed: compilers fork workers, and a surviving worker
 * would keep burning cores and hold the output pipe open.
 */
final class ProcessRunner {
    static final int TAIL_LINES = 20;
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(2);

    /**
     * @param exitCode the exit status, or -1 when killed at the timeout
     * @param timedOut true when the timeout killed the tree
     * @param killed how many processes the timeout killed (the tool and its descendants)
     * @param tail the last {@link #TAIL_LINES} lines, for messages
     */
    record Result(int exitCode, boolean timedOut, int killed, List<String> tail) {
        String lastLines() {
            return tail.isEmpty() ? "(no output)" : String.join("\n", tail);
        }
    }

    private ProcessRunner() {
    }

    /**
     * @param log the file that receives every output line (created or truncated), or null
     * @throws InterruptedException after killing the tree, with the thread's interrupt status cleared as usual
     * @throws IOException when the tool cannot be started or the log cannot be written
     */
    static Result run(List<String> command, Path cwd, Map<String, String> env, Duration timeout, Path log,
                      Consumer<String> lines) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close(); // the tools read no stdin; an open pipe would let one wait for input forever
        Deque<String> tail = new ArrayDeque<>();
        List<Throwable> readFailure = new ArrayList<>(1);
        Thread reader = new Thread(() -> pump(p, log, lines, tail, readFailure), "process-output-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            killTree(p.toHandle());
            reader.join(DRAIN_WAIT.toMillis());
            throw e;
        }
        int killed = finished ? 0 : killTree(p.toHandle());
        reader.join(DRAIN_WAIT.toMillis());
        synchronized (readFailure) {
            // Reported only now that the tool has finished: failing mid-run would leave its pipe unread.
            if (!readFailure.isEmpty() && readFailure.get(0) instanceof IOException io) {
                throw io;
            }
            if (!readFailure.isEmpty() && readFailure.get(0) instanceof RuntimeException listenerBug) {
                throw listenerBug;
            }
        }
        synchronized (tail) {
            return new Result(finished ? p.exitValue() : -1, !finished, killed, List.copyOf(tail));
        }
    }

    private static void pump(Process p, Path log, Consumer<String> lines, Deque<String> tail, List<Throwable> failure) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter out = log == null ? null : Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (out != null) {
                    out.write(line);
                    out.newLine();
                    out.flush(); // a killed run still leaves everything it printed
                }
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                try {
                    lines.accept(line);
                } catch (RuntimeException e) {
                    // A broken listener must not stall the pipe (the tool would block on a full buffer): keep
                    // reading, and rethrow the first failure once the tool is done.
                    synchronized (failure) {
                        if (failure.isEmpty()) {
                            failure.add(e);
                        }
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            synchronized (failure) {
                failure.add(0, e);
            }
        }
    }

    /**
     * Kills {@code root} and every descendant, and waits for them to exit. Descendants are listed while their
     * parents still live (an orphan is re-parented and no longer listed), and the listing is repeated until
     * nothing is left, to catch a child forked during the kill.
     *
     * @return how many processes were killed
     */
    static int killTree(ProcessHandle root) {
        int killed = 0;
        for (int round = 0; round < 5; round++) {
            List<ProcessHandle> tree = new ArrayList<>(root.descendants().filter(ProcessHandle::isAlive).toList());
            if (root.isAlive()) {
                tree.add(root);
            }
            if (tree.isEmpty()) {
                break;
            }
            for (ProcessHandle h : tree) {
                if (h.destroyForcibly()) {
                    killed++;
                }
            }
            for (ProcessHandle h : tree) {
                try {
                    h.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // keep killing; the caller sees the interrupt afterwards
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // Still alive after SIGKILL (e.g. in uninterruptible I/O): the next round tries again.
                }
            }
        }
        return killed;
    }
}
