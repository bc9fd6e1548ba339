package io.jneuron.core.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat templates of Llama 3, Qwen2.5, Mistral v0.3, Phi-3, Gemma 2 and Gemma 3 rendered by Jinjava equal
 * what jinja2 renders as transformers' apply_chat_template sets it up ({@code chat/make_goldens.py}, run with
 * Debian's python3-jinja2; goldens.json committed), including the templates' own refusals.
 */
class ChatTemplateGoldenTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode resource(String name) throws IOException {
        try (InputStream in = ChatTemplateGoldenTest.class.getResourceAsStream("/chat/" + name)) {
            return JSON.readTree(in);
        }
    }

    static String text(String name) throws IOException {
        try (InputStream in = ChatTemplateGoldenTest.class.getResourceAsStream("/chat/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyGoldenRendersIdentically() throws IOException {
        JsonNode cases = resource("cases.json");
        JsonNode goldens = resource("goldens.json");
        int checked = 0;
        List<String> failures = new ArrayList<>();
        for (JsonNode g : goldens.get("renders")) {
            String name = g.get("template").asText();
            Map<String, String> tokens = new LinkedHashMap<>();
            cases.get("tokens").get(name).fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    tokens.put(e.getKey(), e.getValue().asText());
                }
            });
            ChatTemplate t = new ChatTemplate(text("templates/" + name + ".jinja"), name, tokens);
            List<ChatTemplate.Message> messages = new ArrayList<>();
            for (JsonNode m : cases.get("conversations").get(g.get("conversation").asText())) {
                messages.add(new ChatTemplate.Message(m.get("role").asText(), m.get("content").asText()));
            }
            String what = name + " / " + g.get("conversation").asText() + " / add_generation_prompt="
                    + g.get("add_generation_prompt").asBoolean();
            if (g.has("error")) {
                try {
                    t.render(messages, g.get("add_generation_prompt").asBoolean());
                    failures.add(what + ": rendered, but jinja2 raised " + g.get("error").asText());
                } catch (ChatTemplateException e) {
                    if (!e.getMessage().endsWith("refused the messages: " + g.get("error").asText())) {
                        failures.add(what + ": " + e.getMessage());
                    }
                }
            } else {
                try {
                    String got = t.render(messages, g.get("add_generation_prompt").asBoolean());
                    if (!got.equals(g.get("prompt").asText())) {
                        failures.add(what + ":\n  want " + JSON.writeValueAsString(g.get("prompt").asText())
                                + "\n  got  " + JSON.writeValueAsString(got));
                    }
                } catch (ChatTemplateException e) {
                    failures.add(what + ": " + e.getMessage());
                }
            }
            checked++;
        }
        assertEquals(60, checked, "6 templates x 5 conversations x 2");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
