package io.jneuron.core.service;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.Availability;
import io.jneuron.core.backend.BackendProvider;
import io.jneuron.core.backend.Backends;
import io.jneuron.core.report.Report;
import io.jneuron.core.report.Table;
import io.jneuron.core.report.Table.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every backend found, whether it is available (or why not), and which one is selected ({@code null}: none is
 * available); {@code explicit} says the selection came from a setting rather than the ranking.
 */
public record BackendList(List<Backend> backends, String selected, boolean explicit) implements Report {
    /** One provider and its probe. */
    public record Backend(String name, int rank, boolean available, String detail) {
    }

    public BackendList {
        backends = List.copyOf(backends);
    }

    /** Probes every provider under {@code settings}. */
    public static BackendList probe(Settings settings) {
        String selected;
        try {
            selected = Backends.select(settings).name();
        } catch (NeuronKernelException e) {
            selected = null;
        }
        List<Backend> rows = new ArrayList<>();
        for (BackendProvider p : Backends.providers()) {
            Availability a = p.probe(settings);
            rows.add(new Backend(p.name(), p.rank(), a.available(), a.reason()));
        }
        return new BackendList(rows, selected, settings.backend() != null);
    }

    @Override
    public String headline() {
        return selected == null ? "no backend is available" : "selected backend: " + selected
                + (explicit ? " (set explicitly)" : " (the best available)");
    }

    @Override
    public Table table() {
        Table.Builder t = Table.builder(Column.text("backend"), Column.number("rank"), Column.text("available"),
                Column.text("selected"), Column.text("detail / why not"));
        backends.forEach(b -> t.row(b.name(), b.rank(), b.available() ? "yes" : "no",
                b.name().equals(selected) ? "selected" : "", b.detail()));
        return t.build();
    }

    @Override
    public Map<String, Object> json() {
        return Report.fields("selected", selected, "backends", table().json());
    }
}
