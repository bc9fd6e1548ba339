package io.jneuron.core.chat;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Python-isms of real templates either render as jinja2 would or fail with a clear error, never a wrong prompt. */
class ChatTemplatePythonismTest {
    @TempDir
    Path dir;

    private static final List<ChatTemplate.Message> CHAT = List.of(new ChatTemplate.Message("user", "  Hi there \n"),
            new ChatTemplate.Message("assistant", "ok"));

    private static String render(String template) {
        return new ChatTemplate(template, "t", Map.of("bos_token", "<s>")).render(CHAT, true);
    }

    @Test
    void whatJinja2DoesJinjavaDoesToo() {
        assertEquals("Hi there", render("{{ messages[0]['content'].strip() }}"));
        assertEquals("user", render("{% for m in messages %}{% if loop.index0 == 1 %}{% break %}{% endif %}{{ m.role }}{% endfor %}"));
        assertEquals("assistant", render("{% for m in messages %}{% if loop.first %}{% continue %}{% endif %}{{ m.role }}{% endfor %}"));
        assertEquals("{\"role\": \"user\", \"content\": \"  Hi there \\n\"}", render("{{ messages[0] | tojson }}"));
        assertEquals("{\"content\": \"café\"}", new ChatTemplate("{{ messages[0] | tojson }}", "t", Map.of())
                .render(List.of(new ChatTemplate.Message(null, "café")), false).replace("\"role\": null, ", ""));
        assertEquals("2", render("{% set ns = namespace(a=1) %}{% set ns.a = ns.a + 1 %}{{ ns.a }}"));
        assertEquals("assistant|1", render("{{ messages[-1].role }}|{{ messages[1:] | length }}"));
        assertEquals("<s>", render("{{ bos_token }}{% if not add_generation_prompt %}x{% endif %}"));
        assertEquals("", render("{{ not_defined }}{% if tools %}x{% endif %}"));
    }

    @Test
    void whatJinjavaLacksFailsClearly() {
        for (String t : List.of("{{ messages[0]['content'].startswith('H') }}", "{{ messages[0]['content'].upper() }}",
                "{{ messages[0]['content'].split() }}", "{{ messages[0]['content'].format(1) }}",
                "{% generation %}x{% endgeneration %}", "{{ 'x' * 3 }}")) {
            ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> render(t), t);
            assertTrue(e.getMessage().startsWith("the chat template of t uses something Jinjava cannot render"), e.getMessage());
        }
        assertEquals("the chat template of t uses the filter 'shout', which Jinjava lacks; write the prompt yourself with "
                + "--prompt, or give the model a template without it",
                assertThrows(ChatTemplateException.class, () -> render("{{ '<|a|b|>' }}{{ bos_token | shout }}")).getMessage());
        assertEquals("the chat template of t refused the messages: no",
                assertThrows(ChatTemplateException.class, () -> render("{{ raise_exception('no') }}")).getMessage());
    }

    @Test
    void findsTheTemplateOfAModelFolder() throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": {\"content\": \"<B>\"}, \"eos_token\": \"<E>\","
                + " \"chat_template\": [{\"name\": \"tool_use\", \"template\": \"T\"}, {\"name\": \"default\","
                + " \"template\": \"{{ bos_token }}{{ messages[0].content }}{{ eos_token }}\"}]}");
        assertEquals("<B>hi<E>", ChatTemplate.find(dir).orElseThrow().render(List.of(new ChatTemplate.Message("user", "hi")), true));
        Files.writeString(dir.resolve("chat_template.jinja"), "[{{ messages[0].content }}]");
        assertEquals("[hi]", ChatTemplate.find(dir).orElseThrow().render(List.of(new ChatTemplate.Message("user", "hi")), true));
        assertTrue(ChatTemplate.find(dir.resolve("nothing-here")).isEmpty());
    }
}
