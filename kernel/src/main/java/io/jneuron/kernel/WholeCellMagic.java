package io.jneuron.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cell that is exactly one magic: {@code %name args} on a single line, or {@code %%name args} followed
 * by a body (which may be empty, unlike the base parser's rule). Such cells skip JShell entirely, so
 * the magic's return value becomes the cell's result.
 *
 * @param body null for a line magic
 */
record WholeCellMagic(String name, List<String> args, String body) {

    static Optional<WholeCellMagic> parse(String cell) {
        String c = cell.strip();
        if (c.startsWith("%%")) {
            int nl = c.indexOf('\n');
            String head = nl < 0 ? c.substring(2) : c.substring(2, nl);
            String body = nl < 0 ? "" : c.substring(nl + 1);
            return named(head).map(h -> new WholeCellMagic(h.get(0), h.subList(1, h.size()), body));
        }
        if (c.startsWith("%") && c.indexOf('\n') < 0) {
            return named(c.substring(1)).map(h -> new WholeCellMagic(h.get(0), h.subList(1, h.size()), null));
        }
        return Optional.empty();
    }

    private static Optional<List<String>> named(String head) {
        List<String> words = split(head);
        if (words.isEmpty() || !words.get(0).matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return Optional.empty();
        }
        return Optional.of(words);
    }

    /** Splits on whitespace; "double quotes" group words and a backslash escapes the next character. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inWord = true;
            } else if (ch == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (Character.isWhitespace(ch) && !quoted) {
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
