package io.jneuron.kernel;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Expands a magic's argument text from the notebook's Java state, as IPython does: {@code {expr}} becomes the
 * value of the Java expression, {@code $name} the value of the variable {@code name} (left as it is when no
 * such variable exists, so {@code $HOME} passes through); {@code \$} and {@code \{} are a literal '$' and '{'.
 */
final class ArgExpander {
    private final Predicate<String> isVariable;
    private final Function<String, String> evaluate;

    /** @param evaluate the value of a Java expression as text; throws on a bad expression */
    ArgExpander(Predicate<String> isVariable, Function<String, String> evaluate) {
        this.isVariable = isVariable;
        this.evaluate = evaluate;
    }

    String expand(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '$' || text.charAt(i + 1) == '{')) {
                // Quoted so that the argument splitter keeps it literal too.
                out.append('\\').append(text.charAt(i + 1));
                i += 2;
            } else if (c == '\\' && i + 1 < text.length()) {
                out.append(c).append(text.charAt(i + 1));
                i += 2;
            } else if (c == '{') {
                int end = closing(text, i);
                if (end < 0) {
                    out.append(c);
                    i++;
                } else {
                    out.append(quote(evaluate.apply(text.substring(i + 1, end))));
                    i = end + 1;
                }
            } else if (c == '$' && i + 1 < text.length() && Character.isJavaIdentifierStart(text.charAt(i + 1))) {
                int end = i + 2;
                while (end < text.length() && Character.isJavaIdentifierPart(text.charAt(end))) {
                    end++;
                }
                String name = text.substring(i + 1, end);
                out.append(isVariable.test(name) ? quote(evaluate.apply(name)) : text.substring(i, end));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The index of the brace closing the one at {@code open}, skipping string literals; -1 if none. */
    private static int closing(String s, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** A value stays one argument, whatever spaces or quotes it holds. */
    private static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2);
        for (char c : value.toCharArray()) {
            if (Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return value.isEmpty() ? "\"\"" : sb.toString();
    }
}
