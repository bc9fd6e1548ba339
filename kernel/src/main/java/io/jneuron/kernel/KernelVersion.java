package io.jneuron.kernel;

/** The kernel's version, from the jar manifest when packaged. */
final class KernelVersion {
    private KernelVersion() {
    }

    static String get() {
        String v = KernelVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
