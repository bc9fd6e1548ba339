package io.jneuron.kernel;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Evaluates cells of Java with JShell, in this JVM. Not thread-safe: the kernel serialises calls
 * (the shell channel is one thread; the start-up warm-up holds the same lock).
 */
final class JShellEvaluator implements AutoCloseable {
    private final JShell shell;
    private final SnippetControl.Provider provider = new SnippetControl.Provider();

    JShellEvaluator() {
        // Streams resolve System.out/err on each write: the base kernel swaps them per request.
        PrintStream out = new PrintStream(forward(true), true);
        PrintStream err = new PrintStream(forward(false), true);
        this.shell = JShell.builder().executionEngine(provider, Map.of()).out(out).err(err)
                .compilerOptions("-Xlint:none", "-proc:none").build();
    }

    /**
     * Evaluates every snippet of {@code code}; returns the last expression's value ({@link SnippetControl#NULL}
     * when that value is null, which renders as "null"), or null when the cell has no value.
     */
    Object eval(String code) {
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        Object last = null;
        String rest = code;
        try {
            while (!rest.isBlank()) {
                SourceCodeAnalysis.CompletionInfo info = sca.analyzeCompletion(rest);
                if (!info.completeness().isComplete()) {
                    throw new CellError("incomplete input: " + firstLine(rest.strip()) + " ... (missing ';' or '}'?)",
                            List.of());
                }
                last = evalSnippet(info.source());
                rest = info.remaining();
            }
            return last;
        } finally {
            control().clearValues();
        }
    }

    private Object evalSnippet(String source) {
        Object value = null;
        for (SnippetEvent ev : shell.eval(source)) {
            if (ev.causeSnippet() != null) {
                continue; // a dependent snippet's update, not this one
            }
            Snippet s = ev.snippet();
            if (ev.status() == Snippet.Status.REJECTED) {
                throw compileError(s);
            }
            if (ev.exception() != null) {
                throw runtimeError(ev.exception());
            }
            Object v = control().take(ev.value());
            value = rendersValue(s) ? v : null;
        }
        return value;
    }

    /** Only expressions show a result, as in a REPL; declarations are quiet. */
    private static boolean rendersValue(Snippet s) {
        return s.kind() == Snippet.Kind.EXPRESSION
                || s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
    }

    private CellError compileError(Snippet s) {
        List<String> lines = new ArrayList<>();
        String src = s.source();
        for (Diag d : shell.diagnostics(s).collect(Collectors.toList())) {
            lines.add((d.isError() ? "error: " : "warning: ") + d.getMessage(Locale.ROOT));
            lines.addAll(Spans.mark(src, (int) d.getStartPosition(), (int) d.getEndPosition()));
        }
        if (s instanceof jdk.jshell.DeclarationSnippet decl) {
            shell.unresolvedDependencies(decl).forEach(u -> lines.add("cannot find symbol: " + u));
        }
        return new CellError("compile error", lines);
    }

    private static RuntimeException runtimeError(Exception e) {
        if (e instanceof EvalException ev) {
            if (CellWorker.Interrupted.class.getName().equals(ev.getExceptionClassName())) {
                return new CellWorker.Interrupted();
            }
            if (ExitGuard.Refused.class.getName().equals(ev.getExceptionClassName())) {
                return new CellError(ev.getMessage(), List.of());
            }
            if (ev.getExceptionClassName().equals(OutOfMemoryError.class.getName())) {
                return new CellError("java.lang.OutOfMemoryError: " + ev.getMessage() + " (the cell's objects were "
                        + "freed; the kernel goes on. Use smaller data or a larger -Xmx in the kernelspec)", userFrames(ev));
            }
            return new CellError(ev.getExceptionClassName() + (ev.getMessage() == null ? "" : ": " + ev.getMessage()),
                    userFrames(ev));
        }
        if (e instanceof UnresolvedReferenceException u) {
            return new CellError("cannot run " + firstLine(u.getSnippet().source()) + ": it uses a symbol that is not "
                    + "defined yet", List.of());
        }
        return new CellError(String.valueOf(e), List.of());
    }

    /** Stack frames of the user's snippets only (JDK and library frames are noise in a cell), then the causes. */
    private static List<String> userFrames(EvalException ev) {
        List<String> out = new ArrayList<>();
        for (StackTraceElement f : ev.getStackTrace()) {
            // JShell renames the frames of snippet code: file "#<snippet id>", and an empty method for the cell itself.
            String file = f.getFileName();
            if (file != null && file.startsWith("#")) {
                String where = f.getMethodName().isEmpty() ? "the cell" : f.getMethodName();
                out.add("  at " + where + " (snippet " + file + ", line " + f.getLineNumber() + ")");
            }
        }
        for (Throwable c = ev.getCause(); c != null && out.size() < 20; c = c.getCause()) {
            String name = c instanceof EvalException e ? e.getExceptionClassName() : c.getClass().getName();
            out.add("caused by " + name + (c.getMessage() == null ? "" : ": " + c.getMessage()));
        }
        return out;
    }

    List<SourceCodeAnalysis.Suggestion> complete(String code, int cursor, int[] anchor) {
        return shell.sourceCodeAnalysis().completionSuggestions(code, cursor, anchor);
    }

    List<SourceCodeAnalysis.Documentation> documentation(String code, int cursor) {
        return shell.sourceCodeAnalysis().documentation(code, cursor, false);
    }

    /** Whether {@code code} is a whole sequence of snippets, so that a magic line may follow it. */
    boolean isComplete(String code) {
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = sca.analyzeCompletion(rest);
            if (!info.completeness().isComplete()) {
                return false;
            }
            rest = info.remaining();
        }
        return true;
    }

    boolean isVariable(String name) {
        return shell.variables().anyMatch(v -> v.name().equals(name) && shell.status(v).isActive());
    }

    /** Adds to the class path of both the compiler and the snippets' loader. */
    void addToClasspath(List<java.nio.file.Path> paths) {
        paths.forEach(p -> shell.addToClasspath(p.toAbsolutePath().toString()));
    }

    SourceCodeAnalysis.Completeness completeness(String code) {
        return shell.sourceCodeAnalysis().analyzeCompletion(code).completeness();
    }

    CellWorker worker() {
        return control().worker();
    }

    private SnippetControl control() {
        SnippetControl c = provider.control();
        if (c == null) {
            // JShell creates its execution engine lazily; an empty eval forces it.
            shell.eval("");
            c = provider.control();
        }
        return c;
    }

    @Override
    public void close() {
        shell.close();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static OutputStream forward(boolean stdout) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                (stdout ? System.out : System.err).write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                (stdout ? System.out : System.err).write(b, off, len);
            }

            @Override
            public void flush() {
                (stdout ? System.out : System.err).flush();
            }
        };
    }
}
