package io.jneuron.core.backend;

/** What a {@link BackendProvider#probe} found: available, or the reason it is not. */
public record Availability(boolean available, String reason) {
    public static Availability yes(String detail) {
        return new Availability(true, detail);
    }

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
