package io.jneuron.kernel;

import java.util.ArrayList;
import java.util.List;

/** Points at a span of source: the lines it covers, each followed by a caret line under the span. */
final class Spans {
    private Spans() {
    }

    static List<String> mark(String src, int start, int end) {
        List<String> out = new ArrayList<>();
        if (start < 0 || start > src.length()) {
            return out;
        }
        end = Math.max(start + 1, Math.min(end, src.length()));
        int lineStart = 0;
        int lineNo = 1;
        for (String line : src.split("\n", -1)) {
            int lineEnd = lineStart + line.length();
            if (lineEnd >= start && lineStart < end) {
                int from = Math.max(start, lineStart) - lineStart;
                int to = Math.max(from + 1, Math.min(end, lineEnd) - lineStart);
                out.add(String.format("%4d | %s", lineNo, line));
                out.add("     | " + " ".repeat(from) + "^".repeat(to - from));
            }
            lineStart = lineEnd + 1;
            lineNo++;
        }
        return out;
    }
}
