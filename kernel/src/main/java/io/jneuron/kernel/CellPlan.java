package io.jneuron.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cell as the kernel runs it, in order: Java, line magics ({@code %name args} on any line where the Java
 * before it is complete) and magic assignments ({@code var rows = %name args}); or, when the first line is
 * {@code %%name args}, one cell magic whose body is the rest (an empty body is allowed). Arguments stay raw
 * here: {@code {expr}} and {@code $name} are expanded just before the magic runs, when earlier steps have.
 */
record CellPlan(List<Step> steps) {
    private static final String NAME = "([A-Za-z_][A-Za-z0-9_]*\\??)";
    private static final Pattern CELL = Pattern.compile("^\\s*%%" + NAME + "(?:[ \\t]+(.*))?$");
    private static final Pattern LINE = Pattern.compile("^\\s*%" + NAME + "(?:[ \\t]+(.*))?$");
    /** {@code TYPE NAME = %magic args} or {@code NAME = %magic args}: no quotes or comparison before the '='. */
    private static final Pattern ASSIGN = Pattern.compile("^([^\"'%=!<>]*[^\"'%=!<>\\s][ \\t]*=)[ \\t]*%"
            + "([A-Za-z_][A-Za-z0-9_]*)(?:[ \\t]+(.*))?$");

    sealed interface Step permits Java, LineMagic, CellMagic, Assign {
    }

    record Java(String code) implements Step {
    }

    /** @param args the raw argument text, unexpanded and unsplit */
    record LineMagic(String name, String args) implements Step {
    }

    record CellMagic(String name, String args, String body) implements Step {
    }

    /** {@code target} is the Java left of the magic, '=' included. */
    record Assign(String target, String name, String args) implements Step {
    }

    /** @param javaComplete whether Java text is a complete sequence of snippets (so a magic line may follow) */
    static CellPlan parse(String cell, Predicate<String> javaComplete) {
        String c = cell.replace("\r\n", "\n").stripLeading();
        List<Step> steps = new ArrayList<>();
        int nl = c.indexOf('\n');
        Matcher cm = CELL.matcher(nl < 0 ? c : c.substring(0, nl));
        if (cm.matches()) {
            steps.add(new CellMagic(cm.group(1), nz(cm.group(2)), nl < 0 ? "" : c.substring(nl + 1)));
            return new CellPlan(steps);
        }
        StringBuilder java = new StringBuilder();
        for (String line : c.split("\n", -1)) {
            Matcher lm = LINE.matcher(line);
            Matcher am = ASSIGN.matcher(line);
            boolean atBoundary = java.toString().isBlank() || javaComplete.test(java.toString());
            if (atBoundary && lm.matches()) {
                flush(java, steps);
                steps.add(new LineMagic(lm.group(1), nz(lm.group(2))));
            } else if (atBoundary && am.matches()) {
                flush(java, steps);
                steps.add(new Assign(am.group(1).strip(), am.group(2), nz(am.group(3))));
            } else {
                java.append(line).append('\n');
            }
        }
        flush(java, steps);
        return new CellPlan(steps);
    }

    /** The cell without its magics: what JShell must find complete. */
    String java() {
        StringBuilder sb = new StringBuilder();
        steps.forEach(s -> sb.append(s instanceof Java j ? j.code() : ""));
        return sb.toString();
    }

    private static void flush(StringBuilder java, List<Step> steps) {
        if (!java.toString().isBlank()) {
            steps.add(new Java(java.toString()));
        }
        java.setLength(0);
    }

    private static String nz(String s) {
        return s == null ? "" : s.strip();
    }

    /** Splits on whitespace; "double" or 'single' quotes group words and a backslash escapes the next character. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inWord = true;
            } else if (quote == 0 && (ch == '"' || ch == '\'')) {
                quote = ch;
                inWord = true;
            } else if (ch == quote) {
                quote = 0;
            } else if (Character.isWhitespace(ch) && quote == 0) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(ch);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }
}
