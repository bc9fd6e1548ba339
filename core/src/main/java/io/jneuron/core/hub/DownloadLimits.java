package io.jneuron.core.hub;

import java.time.Duration;
import java.util.Map;

/**
 * How long a Hub transfer may take, so a slow or silent server fails with a message instead of hanging.
 *
 * @param stall    how long a request may go without receiving a byte: {@code HF_HUB_DOWNLOAD_TIMEOUT} seconds
 *                 (huggingface_hub's variable, same meaning: the socket read timeout), default 60 s
 * @param deadline the overall limit for one file, retries and resumes included: {@code NEURON_KERNEL_DOWNLOAD_DEADLINE}
 *                 seconds; null (the default) scales it with the size, {@link #BASE} plus the size at
 *                 {@link #MIN_BYTES_PER_SECOND}, so a 16 GB shard may take 18 hours and config.json 10 minutes
 */
public record DownloadLimits(Duration stall, Duration deadline) {
    public static final String STALL_ENV = "HF_HUB_DOWNLOAD_TIMEOUT";
    public static final String DEADLINE_ENV = "NEURON_KERNEL_DOWNLOAD_DEADLINE";
    public static final Duration DEFAULT_STALL = Duration.ofSeconds(60);
    static final Duration BASE = Duration.ofMinutes(10);
    /** 256 KiB/s: far below any working link, far above a server that trickles to keep a connection alive. */
    static final long MIN_BYTES_PER_SECOND = 256 * 1024;

    public static final DownloadLimits DEFAULT = new DownloadLimits(DEFAULT_STALL, null);

    public DownloadLimits {
        if (stall == null || stall.isNegative() || stall.isZero()) {
            throw new IllegalArgumentException("the stall timeout must be positive, got " + stall);
        }
        if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
            throw new IllegalArgumentException("the download deadline must be positive, got " + deadline);
        }
    }

    static DownloadLimits fromEnvironment(Map<String, String> env) {
        Duration stall = seconds(env, STALL_ENV);
        return new DownloadLimits(stall == null ? DEFAULT_STALL : stall, seconds(env, DEADLINE_ENV));
    }

    /** The overall limit for a file of {@code bytes} (0 for an API answer). */
    public Duration deadlineFor(long bytes) {
        if (deadline != null) {
            return deadline;
        }
        return BASE.plusSeconds(Math.max(0, bytes) / MIN_BYTES_PER_SECOND);
    }

    /** Which setting a user raises when {@link #deadlineFor} ran out. */
    public String deadlineSetting() {
        return deadline == null ? DEADLINE_ENV + " (default: 10 min + the size at 256 KiB/s)" : DEADLINE_ENV;
    }

    private static Duration seconds(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        double s;
        try {
            s = Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            s = -1;
        }
        if (!(s > 0) || s > 1e7) {
            throw new HubException(HubException.Kind.INVALID, 0, null, name + "='" + v + "' is not a number of seconds "
                    + "above 0; unset it or give one such as 60");
        }
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
