package io.jneuron.neuron;

/** What {@code nrt_get_version} reports; {@code toString} is {@code major.minor.patch.maintenance}. */
public record RuntimeVersion(long major, long minor, long patch, long maintenance, String detail, String gitHash) {
    @Override
    public String toString() {
        return major + "." + minor + "." + patch + "." + maintenance;
    }
}
