package io.jneuron.core.backend;

import io.jneuron.core.Settings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Finds backends through {@link ServiceLoader} and picks one: an explicit name wins, else the best available. */
public final class Backends {
    private Backends() {
    }

    /**
     * The error for a capability {@code backend} declared unavailable: its name, the reason it gave, and what it can
     * do instead, so the user sees the next step rather than a stack trace.
     */
    public static BackendUnavailableException unable(Backend backend, Capability needed) {
        Availability a = backend.capabilities().getOrDefault(needed, Availability.no("not declared"));
        List<String> can = new ArrayList<>();
        backend.capabilities().forEach((c, av) -> {
            if (av.available()) {
                can.add(c.label());
            }
        });
        String head = "the " + backend.name() + " backend cannot ";
        return new BackendUnavailableException((a.reason().startsWith(head) ? "" : head + needed.label() + " here: ")
                + a.reason() + (can.isEmpty() ? "" : " (it can " + String.join(", ", can) + ")"));
    }

    /** The compiler of {@code backend}, or {@link #unable} when it declares none. */
    public static Compiler compiler(Backend backend) {
        return backend.compiler().orElseThrow(() -> unable(backend, Capability.COMPILE));
    }

    /** The runtime of {@code backend}, or {@link #unable} when it declares none. */
    public static ModelRuntime runtime(Backend backend) {
        return backend.runtime().orElseThrow(() -> unable(backend, Capability.RUN));
    }

    /** Every provider on the class path, best rank first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(list::add);
        list.sort(Comparator.comparingInt(BackendProvider::rank).thenComparing(BackendProvider::name));
        return list;
    }

    /** The provider to use under {@code settings}; the caller creates (and closes) the backend. */
    public static BackendProvider select(Settings settings) {
        return select(settings, false);
    }

    /**
     * The provider to export with: a backend named explicitly is judged by
     * {@link BackendProvider#probeExport} (it may compile without a device); the automatic choice
     * stays the one {@link #select(Settings)} makes, so a model is exported for what runs here.
     */
    public static BackendProvider selectForExport(Settings settings) {
        return select(settings, settings.backend() != null);
    }

    private static BackendProvider select(Settings settings, boolean export) {
        List<BackendProvider> all = providers();
        StringBuilder reasons = new StringBuilder();
        for (BackendProvider p : all) {
            if (settings.backend() != null && !settings.backend().equals(p.name())) {
                continue;
            }
            Availability a = export ? p.probeExport(settings) : p.probe(settings);
            if (a.available()) {
                return p;
            }
            reasons.append("\n  ").append(p.name()).append(": ").append(a.reason());
        }
        if (settings.backend() != null && reasons.length() == 0) {
            List<String> names = all.stream().map(BackendProvider::name).toList();
            throw new BackendUnavailableException("unknown backend '" + settings.backend() + "'; available names: " + names);
        }
        throw new BackendUnavailableException((settings.backend() != null
                ? "backend '" + settings.backend() + "' is not available:" : "no backend is available:") + reasons);
    }
}
