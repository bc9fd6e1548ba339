package io.jneuron.core.cache.internal;

import io.jneuron.core.cache.CacheException;
import io.jneuron.core.cache.LockInfo;
import io.jneuron.core.cache.OptimumCompat;
import io.jneuron.core.cache.PyJson;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MODULE lock (protocol in {@link OptimumCompat#LOCK_OWNER}): the file is created with {@code O_EXCL},
 * so exactly one process or thread wins, and holds an owner record so any other process can tell a
 * running compile from one that was killed. Closing releases it. Not reentrant.
 */
public final class ModuleLock implements AutoCloseable {
    /** Locks held by this JVM: never "stale" to ourselves, whatever the pid check says. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    private static final int MAX_RECORD_BYTES = 4096;

    private final Path file;
    private boolean released;

    private ModuleLock(Path file) {
        this.file = file;
    }

    /** Takes the lock, or returns empty when the file already exists (someone else holds it, or held it). */
    public static Optional<ModuleLock> tryAcquire(Path lockFile) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("owner", OptimumCompat.LOCK_OWNER);
        record.put("pid", ProcessProbe.pid());
        record.put("host", ProcessProbe.host());
        record.put("process_start", ProcessProbe.startOf(ProcessProbe.pid()).map(Instant::toString).orElse(null));
        record.put("since", Instant.now().toString());
        byte[] bytes = PyJson.dumps(record, PyJson.Style.COMPACT_SORTED).getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            HELD.add(key);
            ch.write(ByteBuffer.wrap(bytes));
            ch.force(true);
        } catch (FileAlreadyExistsException e) {
            return Optional.empty();
        }
        return Optional.of(new ModuleLock(key));
    }

    @Override
    public void close() throws IOException {
        if (!released) {
            released = true;
            try {
                Files.deleteIfExists(file);
            } finally {
                HELD.remove(file);
            }
        }
    }

    /** Who holds {@code lockFile} and whether they are gone; empty if the file vanished (the lock was released). */
    public static Optional<LockInfo> inspect(Path lockFile) {
        Instant mtime;
        byte[] bytes;
        try {
            mtime = Files.getLastModifiedTime(lockFile).toInstant();
            long size = Files.size(lockFile);
            bytes = size > MAX_RECORD_BYTES ? new byte[0] : Files.readAllBytes(lockFile);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new LockInfo(lockFile, "unknown", -1, null, Instant.EPOCH, false,
                    "unreadable lock, treated as held: " + e.getMessage()));
        }
        Map<String, Object> rec = record(bytes);
        if (rec == null) {
            return Optional.of(unknown(lockFile, mtime));
        }
        long pid = rec.get("pid") instanceof Long p ? p : -1;
        String host = rec.get("host") instanceof String h ? h : null;
        Instant since = instant(rec.get("since"), mtime);
        Instant started = instant(rec.get("process_start"), null);
        boolean stale;
        String detail;
        if (HELD.contains(lockFile.toAbsolutePath().normalize())) {
            stale = false;
            detail = "held by this process";
        } else if (ProcessProbe.host().equals(host)) {
            stale = pid < 0 || !ProcessProbe.alive(pid, started);
            detail = stale ? "that process is gone" : "running";
        } else {
            stale = age(since).compareTo(OptimumCompat.FOREIGN_HOST_LOCK_MAX_AGE) > 0;
            detail = stale ? "another host, older than " + OptimumCompat.FOREIGN_HOST_LOCK_MAX_AGE.toHours() + " h"
                    : "another host, cannot check the pid from here";
        }
        return Optional.of(new LockInfo(lockFile, OptimumCompat.LOCK_OWNER, pid, host, since, stale, detail));
    }

    /** A lock without our owner record: libneuronxla's, or ours in the instant between create and write. */
    private static LockInfo unknown(Path lockFile, Instant mtime) {
        if (age(mtime).compareTo(OptimumCompat.LOCK_GRACE) < 0) {
            return new LockInfo(lockFile, "unknown", -1, null, mtime, false, "just taken");
        }
        boolean compiling = ProcessProbe.anyProcessNamed(OptimumCompat.NEURON_COMPILER_PROCESS);
        return new LockInfo(lockFile, "unknown", -1, null, mtime, !compiling,
                compiling ? OptimumCompat.NEURON_COMPILER_PROCESS + " is running" : "no "
                        + OptimumCompat.NEURON_COMPILER_PROCESS + " process is running");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> record(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            Object v = PyJson.parse(bytes, "lock");
            return v instanceof Map<?, ?> m && OptimumCompat.LOCK_OWNER.equals(m.get("owner"))
                    ? (Map<String, Object>) m : null;
        } catch (CacheException e) {
            return null; // half-written, or not ours
        }
    }

    private static Instant instant(Object v, Instant fallback) {
        try {
            return v instanceof String s ? Instant.parse(s) : fallback;
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    private static Duration age(Instant since) {
        return Duration.between(since, Instant.now());
    }
}
