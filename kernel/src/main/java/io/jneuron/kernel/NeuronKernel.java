package io.jneuron.kernel;

import io.jneuron.kernel.magic.KernelMagics;
import io.jneuron.kernel.magic.MagicCatalog;
import io.jneuron.kernel.magic.MavenResolver;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java (Neuron) kernel: JShell in this JVM plus the base kernel's magics registry, so magics
 * (loaded as jjava extensions) and user code share objects. One cell runs at a time.
 */
public final class NeuronKernel extends BaseKernel {
    private static final Pattern MAGIC_PREFIX = Pattern.compile("^\\s*(%%?)([A-Za-z0-9_]*)$");
    /** A magic's name and the argument text after it, up to the cursor. */
    private static final Pattern MAGIC_ARGS = Pattern.compile("^\\s*(%%?)([A-Za-z_][A-Za-z0-9_]*)[ \\t]+(.*)$");

    private final JShellEvaluator evaluator = new JShellEvaluator();
    private final MagicCatalog catalog = new MagicCatalog();
    private final CellRunner runner;
    /** Serialises the evaluator between the shell thread and the start-up warm-up. */
    private final Object lock = new Object();

    private NeuronKernel(String name, String version, LanguageInfo info, HistoryManager history, JupyterIO io,
                         CommManager comms, Renderer renderer, MagicParser parser, MagicsRegistry magics,
                         boolean extensions, StringStyler errorStyler) {
        super(name, version, info, List.of(), history, io, comms, renderer, parser, magics, extensions, errorStyler);
        this.runner = new CellRunner(this, evaluator, magics, catalog);
        new KernelMagics(new KernelMagics.Host() {
            @Override
            public void addToClasspath(List<Path> paths) {
                evaluator.addToClasspath(paths);
            }

            @Override
            public Object evalCell(String code) {
                return runner.run(code);
            }

            @Override
            public MagicsRegistry magics() {
                return magicsRegistry;
            }
        }, MavenResolver.forUser(), catalog).register(magics);
    }

    public static NeuronKernel create() {
        return new Builder().name("jneuron").version(KernelVersion.get()).build();
    }

    /** Installs extensions, then warms JShell on a background thread so the first cell is not slow. */
    @Override
    public void onStartup() {
        super.onStartup();
        Thread t = new Thread(this::warm, "jneuron-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** Imports every cell sees, then a throwaway snippet that loads javac. Idempotent. */
    void warm() {
        synchronized (lock) {
            try {
                evaluator.eval("import static org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.*;");
                // The engine's Java API: Jneuron.export(...), Jneuron.lookup(...), Report.of(...), Table.of(...).
                evaluator.eval("import io.jneuron.core.service.*;");
                evaluator.eval("import io.jneuron.core.report.*;");
                evaluator.eval("int $warm = 1 + 1;");
            } catch (RuntimeException e) {
                // A failed warm-up only costs speed; the first cell reports any real problem.
                System.err.println("jneuron: JShell warm-up failed: " + e);
            }
        }
    }

    @Override
    public Object evalRaw(String code) {
        synchronized (lock) {
            return runner.run(code);
        }
    }

    @Override
    public void interrupt() {
        evaluator.worker().interrupt();
    }

    @Override
    public List<String> formatError(Throwable e) {
        return ErrorFormat.format(e, magicsRegistry, errorStyler);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        Matcher magic = Pattern.compile("^\\s*(%%?)([A-Za-z_][A-Za-z0-9_]*)").matcher(lineAt(code, at));
        if (magic.find()) {
            boolean cell = magic.group(1).equals("%%");
            Set<String> names = cell ? magicsRegistry.getCellMagicNames() : magicsRegistry.getLineMagicNames();
            if (!names.contains(magic.group(2))) {
                return null;
            }
            return catalog.help(magic.group(2), cell, List.of()).map(DisplayData::new).orElse(null);
        }
        List<SourceCodeAnalysis.Documentation> docs;
        synchronized (lock) {
            docs = evaluator.documentation(code, at);
        }
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            sb.append(d.signature()).append('\n');
            if (extraDetail && d.javadoc() != null) {
                sb.append(d.javadoc()).append('\n');
            }
        }
        return new DisplayData(sb.toString().strip());
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        String line = code.substring(code.lastIndexOf('\n', at - 1) + 1, at);
        Matcher mm = MAGIC_PREFIX.matcher(line);
        if (mm.find()) {
            Set<String> names = new TreeSet<>(mm.group(1).equals("%%") ? magicsRegistry.getCellMagicNames()
                    : magicsRegistry.getLineMagicNames());
            List<String> hits = names.stream().filter(n -> n.startsWith(mm.group(2))).map(n -> mm.group(1) + n).toList();
            return new ReplacementOptions(hits, at - mm.group(1).length() - mm.group(2).length(), at);
        }
        Matcher ma = MAGIC_ARGS.matcher(line);
        if (ma.find()) {
            String args = ma.group(3);
            boolean endsInSpace = args.isEmpty() || Character.isWhitespace(args.charAt(args.length() - 1));
            List<String> words = CellPlan.split(args);
            String partial = endsInSpace || words.isEmpty() ? "" : words.remove(words.size() - 1);
            List<String> hits = catalog.complete(ma.group(2), ma.group(1).equals("%%"), words, partial);
            return new ReplacementOptions(hits, at - partial.length(), at);
        }
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> sugg;
        synchronized (lock) {
            sugg = evaluator.complete(code, at, anchor);
        }
        Set<String> options = new LinkedHashSet<>();
        sugg.stream().filter(SourceCodeAnalysis.Suggestion::matchesType).forEach(s -> options.add(s.continuation()));
        sugg.forEach(s -> options.add(s.continuation()));
        return new ReplacementOptions(new ArrayList<>(options), anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis.Completeness c;
        synchronized (lock) {
            CellPlan plan = CellPlan.parse(code, evaluator::isComplete);
            if (plan.steps().stream().anyMatch(s -> s instanceof CellPlan.CellMagic)) {
                return IS_COMPLETE_YES;
            }
            c = evaluator.completeness(plan.java());
        }
        // Any other string means "incomplete", and is the indent for the next line.
        return switch (c) {
            case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> IS_COMPLETE_YES;
            case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> "";
            case UNKNOWN -> IS_COMPLETE_BAD;
        };
    }

    private static String lineAt(String code, int at) {
        int start = code.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        int end = code.indexOf('\n', at);
        return code.substring(start, end < 0 ? code.length() : end);
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        evaluator.close();
    }

    /** jjava-jupyter 1.0-a6 leaves {@code status} out of kernel_info_reply; the protocol requires it. */
    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> request) {
        env.setBusyDeferIdle();
        env.reply(new OkKernelInfoReply(name, version, getLanguageInfo(), getBanner(), getHelpLinks()));
    }

    static final class OkKernelInfoReply extends KernelInfoReply {
        @SuppressWarnings("unused") // read by Gson
        private final String status = "ok";

        OkKernelInfoReply(String name, String version, LanguageInfo info, String banner, List<HelpLink> links) {
            super("5.3", name, version, info, banner, links);
        }
    }

    static final class Builder extends BaseKernelBuilder<Builder, NeuronKernel> {
        @Override
        public NeuronKernel build() {
            // Lowercase "java": the conformance suite (and nbconvert's exporter lookup) expect it.
            LanguageInfo info = new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell",
                    "java", "java", "script");
            MagicParser parser = new MagicParser("(?<=(?:^|=))\\s*%", "%%", buildMagicTranspiler());
            return new NeuronKernel(buildName(), buildVersion(), info, buildHistoryManager(),
                    buildJupyterIO(buildJupyterIOEncoding()), buildCommManager(), buildRenderer(), parser,
                    buildMagicsRegistry(), buildExtensionsEnabled(), buildErrorStyler());
        }
    }
}
