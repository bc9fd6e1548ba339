package io.jneuron.magics;

import io.jneuron.core.cache.CacheStatus;
import io.jneuron.core.cache.CleanupReport;
import io.jneuron.core.cache.LookupMatch;
import io.jneuron.core.cache.ModuleState;
import io.jneuron.core.cache.VerifyResult;
import io.jneuron.core.cli.CacheCommand;
import io.jneuron.magics.render.Tables;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code %neuron_cache lookup|list|status|cleanup|verify ...}: the {@code jneuron cache} verbs. The verbs
 * with a result object render as tables; any other verb of the command (future ones included) runs as
 * in the terminal, its text output shown in the cell.
 */
final class NeuronCacheMagic {
    private NeuronCacheMagic() {
    }

    static DisplayData run(BaseKernel kernel, List<String> args) {
        MagicArgs.Parsed p = MagicArgs.parse(kernel, "neuron_cache", new CacheCommand(), args);
        if (p.help() != null) {
            return p.help();
        }
        Object cmd = p.command();
        if (cmd instanceof CacheCommand.Lookup l) {
            return lookup(l.lookup());
        } else if (cmd instanceof CacheCommand.ListModels l) {
            return models(l.models());
        } else if (cmd instanceof CacheCommand.Status s) {
            return status(s.status());
        } else if (cmd instanceof CacheCommand.Cleanup c) {
            return cleanup(c.cleanup());
        } else if (cmd instanceof CacheCommand.Verify v) {
            return verify(v.verify());
        } else if (cmd instanceof CacheCommand) {
            throw new io.jneuron.core.NeuronKernelException("%neuron_cache: give a verb: lookup, list, status, cleanup "
                    + "or verify (add --help for each)");
        }
        return asText(kernel, args);
    }

    static DisplayData lookup(CacheCommand.Lookup.Outcome o) {
        List<List<String>> rows = new ArrayList<>();
        for (LookupMatch m : o.rows()) {
            rows.add(cells(m.batchSize(), m.sequenceLength(), m.tpDegree(), m.torchDtype(), m.target(), m.source(),
                    m.entry()));
        }
        String headline = o.rows().isEmpty() ? "No cached entries found for " + o.model() + " in " + o.root() + "."
                : o.rows().size() + " cached entr" + (o.rows().size() == 1 ? "y" : "ies") + " for " + o.model()
                + " (found by " + o.rows().get(0).strategy().label() + " in " + o.root() + ")";
        return Tables.display(headline, Tables.of("registry", List.of("batch size", "sequence length",
                "tensor parallel", "dtype", "instance type", "source", "entry"), rows));
    }

    static DisplayData models(List<Object> models) {
        List<List<String>> rows = new ArrayList<>();
        for (Object o : models) {
            Map<?, ?> m = (Map<?, ?>) o;
            rows.add(cells(m.get("compiler"), m.get("registry_version"), m.get("model_id"), m.get("model_type"),
                    m.get("task"), m.get("entries")));
        }
        return Tables.display(models.size() + " model(s) in the registry", Tables.of("models",
                List.of("compiler", "registry", "model", "type", "task", "entries"), rows));
    }

    static DisplayData status(CacheStatus s) {
        List<String> headers = new ArrayList<>(List.of("compiler", "version", "size", "registry files"));
        for (ModuleState st : ModuleState.values()) {
            headers.add(st.label());
        }
        headers.add("stale locks");
        List<List<String>> rows = new ArrayList<>();
        for (CacheStatus.Compiler c : s.compilers()) {
            List<String> r = new ArrayList<>(List.of(c.compiler().folderName(), c.current() ? "current" : "old",
                    CacheStatus.human(c.bytes()), String.valueOf(c.registryEntries())));
            for (ModuleState st : ModuleState.values()) {
                r.add(c.counts().get(st) + " (" + CacheStatus.human(c.stateBytes().get(st)) + ")");
            }
            r.add(String.valueOf(c.staleLocks().size()));
            rows.add(r);
        }
        boolean stale = s.compilers().stream().anyMatch(c -> !c.staleLocks().isEmpty());
        String headline = "Cache " + s.root() + ": " + CacheStatus.human(s.totalBytes()) + " in total, "
                + CacheStatus.human(s.oldVersionBytes()) + " in old versions"
                + (stale ? "; stale locks block modules, run `" + s.clearCommand() + "` to clear them" : "");
        return Tables.display(headline, Tables.of("status", headers, rows));
    }

    static DisplayData cleanup(CacheCommand.Cleanup.Outcome o) {
        CleanupReport r = o.report();
        List<List<String>> rows = new ArrayList<>();
        for (CleanupReport.Removal x : r.removed()) {
            rows.add(List.of(o.root().relativize(x.path()).toString(), x.reason()));
        }
        String headline = (o.dryRun() ? "[dry run] would remove " : "Removed ") + r.removed().size() + " item(s), "
                + (o.dryRun() ? "freeing " : "freed ") + CacheStatus.human(r.freedBytes()) + " in " + o.root();
        return Tables.display(headline, Tables.of("cleanup", List.of("path", "reason"), rows));
    }

    static DisplayData verify(CacheCommand.Verify.Outcome o) {
        List<List<String>> rows = new ArrayList<>();
        long bad = 0;
        for (VerifyResult v : o.results()) {
            rows.add(cells(v.path(), v.ok() ? "ok" : "BAD", v.reason()));
            bad += v.ok() ? 0 : 1;
        }
        String headline = "Verified " + o.results().size() + " registry file(s) in " + o.location() + ": "
                + (o.results().size() - bad) + " ok, " + bad + " bad" + (bad > 0
                ? "; delete the bad ones and re-export those models" : "");
        return Tables.display(headline, Tables.of("verify", List.of("path", "ok", "reason"), rows));
    }

    /** Runs a verb that has no table form exactly as the terminal would, showing its text. */
    private static DisplayData asText(BaseKernel kernel, List<String> args) {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new CacheCommand());
        cl.setCommandName("%neuron_cache");
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(MagicArgs.cellErr(kernel));
        cl.execute(args.toArray(new String[0]));
        return new DisplayData(out.toString());
    }

    private static List<String> cells(Object... values) {
        List<String> r = new ArrayList<>();
        for (Object v : values) {
            r.add(v == null ? "-" : v.toString());
        }
        return r;
    }
}
