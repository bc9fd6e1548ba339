package io.jneuron.core.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A prompt (or a notebook cell) read as chat messages: a line starting with {@code system:}, {@code user:} or
 * {@code assistant:} opens a message of that role, the lines after it continue it; text before any such line
 * is a user message. A prompt without role lines is one user message.
 */
public final class ChatMessages {
    private static final List<String> ROLES = List.of("system", "user", "assistant");

    private ChatMessages() {
    }

    public static List<ChatTemplate.Message> parse(String text) {
        List<ChatTemplate.Message> out = new ArrayList<>();
        String role = "user";
        StringBuilder content = new StringBuilder();
        boolean open = false;
        for (String line : text.split("\n", -1)) {
            String r = roleOf(line);
            if (r != null) {
                if (open || !content.toString().isBlank()) {
                    out.add(new ChatTemplate.Message(role, content.toString().strip()));
                }
                role = r;
                content.setLength(0);
                content.append(line.substring(line.indexOf(':') + 1));
                open = true;
            } else {
                if (content.length() > 0 || open) {
                    content.append('\n');
                }
                content.append(line);
            }
        }
        if (open || !content.toString().isBlank()) {
            out.add(new ChatTemplate.Message(role, content.toString().strip()));
        }
        return out;
    }

    private static String roleOf(String line) {
        int colon = line.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String r = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        return ROLES.contains(r) && line.substring(0, colon).equals(line.substring(0, colon).stripLeading()) ? r : null;
    }
}
