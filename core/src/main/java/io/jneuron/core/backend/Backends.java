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
