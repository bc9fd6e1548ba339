package io.jneuron.core.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.jneuron.core.cache.PyJson;
import io.jneuron.core.model.Json;
import io.jneuron.core.model.ModelFormatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model's chat template ({@code chat_template.jinja}, else {@code tokenizer_config.json}'s
 * {@code chat_template}) rendered with Jinjava set up as transformers sets up jinja2 for
 * {@code apply_chat_template}: trim_blocks, lstrip_blocks, {@code raise_exception}, a {@code tojson} that is
 * Python's {@code json.dumps(ensure_ascii=False)}, the special tokens and {@code add_generation_prompt} as
 * variables, no tools. Anything Jinjava reports while rendering (an unknown filter, a Python string method it
 * lacks, a template's own {@code raise_exception}) fails the render: a wrong prompt is never returned.
 */
public final class ChatTemplate {
    /** One chat message. */
    public record Message(String role, String content) {
    }

    /** The special tokens transformers passes to templates, read from tokenizer_config.json. */
    static final List<String> TOKEN_NAMES = List.of("bos_token", "eos_token", "unk_token", "pad_token");

    private final String source;
    private final String origin;
    private final Map<String, String> tokens;

    public ChatTemplate(String source, String origin, Map<String, String> tokens) {
        this.source = source;
        this.origin = origin;
        this.tokens = Map.copyOf(tokens);
    }

    /** Where the template came from, for messages (e.g. {@code .../tokenizer_config.json}). */
    public String origin() {
        return origin;
    }

    public String source() {
        return source;
    }

    /**
     * The template of a model folder: {@code chat_template.jinja} when present (newer transformers save it so),
     * else {@code chat_template} of tokenizer_config.json (a string, or a list of named templates of which
     * "default" is used). Empty when the folder has none.
     */
    public static Optional<ChatTemplate> find(Path folder) {
        Path config = folder.resolve("tokenizer_config.json");
        JsonNode cfg = Files.isRegularFile(config) ? Json.readTree(config) : null;
        Map<String, String> tokens = new LinkedHashMap<>();
        if (cfg != null) {
            for (String name : TOKEN_NAMES) {
                JsonNode t = cfg.get(name);
                if (t != null && t.isTextual()) {
                    tokens.put(name, t.asText());
                } else if (t != null && t.isObject() && t.path("content").isTextual()) {
                    tokens.put(name, t.get("content").asText()); // an AddedToken written out as a dict
                }
            }
        }
        Path jinja = folder.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) {
            try {
                return Optional.of(new ChatTemplate(Files.readString(jinja, StandardCharsets.UTF_8), jinja.toString(), tokens));
            } catch (IOException e) {
                throw new ModelFormatException(jinja + ": cannot read: " + e.getMessage());
            }
        }
        JsonNode t = cfg == null ? null : cfg.get("chat_template");
        if (t == null || t.isNull()) {
            return Optional.empty();
        }
        if (t.isTextual()) {
            return Optional.of(new ChatTemplate(t.asText(), config.toString(), tokens));
        }
        if (t.isArray()) {
            List<String> names = new ArrayList<>();
            for (JsonNode named : t) {
                names.add(named.path("name").asText());
                if (named.path("name").asText().equals("default") && named.path("template").isTextual()) {
                    return Optional.of(new ChatTemplate(named.get("template").asText(), config.toString() + " (default)",
                            tokens));
                }
            }
            throw new ModelFormatException(config + ": chat_template lists " + names + " but no \"default\" template");
        }
        throw new ModelFormatException(config + ": chat_template must be a string or a list of {name, template}, got "
                + t.getNodeType());
    }

    /**
     * Renders {@code messages}.
     *
     * @throws ChatTemplateException naming the template and the first problem Jinjava reported, or the message of
     *     the template's own {@code raise_exception}
     */
    public String render(List<Message> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Message m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content());
            list.add(map);
        }
        checkFilters();
        Map<String, Object> vars = new LinkedHashMap<>(tokens);
        vars.put("messages", list);
        vars.put("add_generation_prompt", addGenerationPrompt);
        RenderResult r;
        try {
            r = JINJAVA.renderForResult(source, vars);
        } catch (RuntimeException e) {
            throw new ChatTemplateException("the chat template of " + origin + " cannot be rendered: " + e.getMessage(), e);
        }
        for (TemplateError e : r.getErrors()) {
            String raised = raisedMessage(e);
            if (raised != null) {
                throw new ChatTemplateException("the chat template of " + origin + " refused the messages: " + raised);
            }
        }
        if (!r.getErrors().isEmpty()) {
            TemplateError e = r.getErrors().get(0);
            throw new ChatTemplateException("the chat template of " + origin + " uses something Jinjava cannot render (line "
                    + e.getLineno() + ": " + e.getMessage() + "); write the prompt yourself with --prompt, or give the "
                    + "model a template without it");
        }
        return r.getOutput();
    }

    private static final java.util.regex.Pattern BLOCK = java.util.regex.Pattern.compile("\\{[{%](.*?)[}%]\\}",
            java.util.regex.Pattern.DOTALL);
    private static final java.util.regex.Pattern STRING = java.util.regex.Pattern.compile(
            "'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final java.util.regex.Pattern FILTER = java.util.regex.Pattern.compile("\\|\\s*([A-Za-z_]\\w*)");

    /**
     * Jinjava renders an unknown filter as nothing, silently: every filter the template names (outside string
     * literals) must be one Jinjava has.
     */
    private void checkFilters() {
        java.util.regex.Matcher block = BLOCK.matcher(source);
        while (block.find()) {
            String code = STRING.matcher(block.group(1)).replaceAll("''");
            java.util.regex.Matcher f = FILTER.matcher(code);
            while (f.find()) {
                if (JINJAVA.getGlobalContext().getFilter(f.group(1)) == null) {
                    throw new ChatTemplateException("the chat template of " + origin + " uses the filter '" + f.group(1)
                            + "', which Jinjava lacks; write the prompt yourself with --prompt, or give the model a "
                            + "template without it");
                }
            }
        }
    }

    /** The message of a template's {@code raise_exception}, however Jinjava wrapped it, or null. */
    private static String raisedMessage(TemplateError e) {
        for (Throwable t = e.getException(); t != null; t = t.getCause()) {
            if (t instanceof RaisedException r) {
                return r.getMessage();
            }
        }
        String m = e.getMessage();
        int at = m == null ? -1 : m.indexOf(RaisedException.MARK);
        return at < 0 ? null : m.substring(at + RaisedException.MARK.length()).trim();
    }

    /**
     * transformers' {@code strftime_now(format)} (Llama 3.1+ put today's date in the system turn): the directives
     * those templates use; any other fails the render.
     */
    public static String strftimeNow(String format) {
        java.time.LocalDateTime now = java.time.LocalDateTime.now();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                sb.append(c);
                continue;
            }
            char d = format.charAt(++i);
            String pattern = switch (d) {
                case 'd' -> "dd";
                case 'm' -> "MM";
                case 'Y' -> "yyyy";
                case 'y' -> "yy";
                case 'b' -> "MMM";
                case 'B' -> "MMMM";
                case 'a' -> "EEE";
                case 'A' -> "EEEE";
                case 'H' -> "HH";
                case 'M' -> "mm";
                case 'S' -> "ss";
                case '%' -> "'%'";
                default -> throw new IllegalArgumentException("strftime_now: directive %" + d + " is not supported");
            };
            sb.append(java.time.format.DateTimeFormatter.ofPattern(pattern, java.util.Locale.ROOT).format(now));
        }
        return sb.toString();
    }

    /** transformers' {@code raise_exception(message)}. */
    public static String raiseException(String message) {
        throw new RaisedException(message);
    }

    static final class RaisedException extends RuntimeException {
        static final String MARK = "chat template raised:";

        RaisedException(String message) {
            super(message);
        }

        @Override
        public String toString() {
            return MARK + " " + getMessage();
        }
    }

    /**
     * Java String methods whose names are Python's but whose meaning is not ({@code "a,b".split(",")} is a regex
     * in Java; {@code format}, {@code join} are static): calling them fails instead of rendering something else.
     * {@code strip} and two-argument {@code replace} mean the same in both and stay.
     */
    static final java.util.Set<String> JAVA_ONLY_METHODS = java.util.Set.of("format", "split", "join", "repeat",
            "lines", "indent", "matches", "concat", "isEmpty", "length", "toUpperCase", "toLowerCase", "trim",
            "substring", "indexOf", "contains", "chars", "translateEscapes", "formatted", "stripIndent");

    private static final Jinjava JINJAVA = engine();

    private static Jinjava engine() {
        Jinjava j = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
                .withRestrictedMethods(JAVA_ONLY_METHODS)
                .withLegacyOverrides(LegacyOverrides.newBuilder().withUsePyishObjectMapper(true)
                        .withUseNaturalOperatorPrecedence(true).withParseWhitespaceControlStrictly(true)
                        .withKeepNullableLoopValues(true).withUseTrimmingForNotesAndExpressions(true).build())
                .build());
        j.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class,
                "raiseException", String.class));
        j.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now", ChatTemplate.class,
                "strftimeNow", String.class));
        j.getGlobalContext().registerFilter(new Filter() {
            @Override
            public String getName() {
                return "tojson";
            }

            @Override
            public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
                return PyJson.dumps(var, PyJson.Style.COMPACT_UNICODE);
            }
        });
        return j;
    }
}
