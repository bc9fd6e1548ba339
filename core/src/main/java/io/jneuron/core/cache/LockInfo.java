package io.jneuron.core.cache;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Who holds a MODULE lock and whether that holder still runs (protocol: {@link OptimumCompat#LOCK_OWNER}).
 *
 * @param file the lock file
 * @param owner {@code "jneuron"} for our owner records, {@code "unknown"} for libneuronxla's or unreadable ones
 * @param pid the holder's pid, or -1 when unknown
 * @param host the holder's host, or null when unknown
 * @param since when the lock was taken (the file's modification time when the record lacks it)
 * @param stale true when the holder is gone: the lock will never be released and must be cleared
 * @param detail why it is (or is not) considered stale, for messages
 */
public record LockInfo(Path file, String owner, long pid, String host, Instant since, boolean stale, String detail) {

    /** One line for messages, e.g. "pid 4242 on host h since 2026-01-01T10:00:00Z (gone)". */
    public String describe() {
        String who = pid >= 0 ? "pid " + pid + (host != null ? " on host " + host : "") : "an unknown process";
        return who + " since " + since + " (" + detail + ")";
    }
}
