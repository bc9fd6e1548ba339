package io.jneuron.kernel.magic;

import io.jneuron.core.cli.Main;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the kernel knows about each magic's arguments, for help, {@code %lsmagic} and completion: the picocli
 * spec of the kernel's own magics, and for {@code %neuron_VERB} the spec of the CLI's {@code jneuron VERB}
 * (a magic accepts exactly what the command accepts). Magics of other extensions have no spec here.
 */
public final class MagicCatalog {
    private final Map<String, CommandSpec> specs = new HashMap<>();
    private Map<String, CommandLine> cli;

    /**
     * The usage text of magic {@code name} (without '%'), of the verb {@code args} select if it has verbs
     * ({@code %neuron_cache lookup --help}); empty when the magic has no spec.
     */
    public Optional<String> help(String name, boolean cell, List<String> args) {
        return spec(name, cell).map(root -> {
            CommandSpec s = root;
            for (String a : args) {
                CommandLine sub = s.subcommands().get(a);
                if (sub == null) {
                    break;
                }
                s = sub.getCommandSpec();
            }
            CommandLine cl = new CommandLine(s);
            StringWriter w = new StringWriter();
            cl.usage(new PrintWriter(w), CommandLine.Help.Ansi.OFF);
            return w.toString().stripTrailing();
        });
    }

    public static String version() {
        return new Version().getVersion()[0];
    }

    /** One line per magic: its name and the first sentence of its description. */
    String listing(MagicsRegistry registry) {
        StringBuilder sb = new StringBuilder("Line magics:\n");
        for (String n : new TreeSet<>(registry.getLineMagicNames())) {
            sb.append(String.format("  %%%-18s %s%n", n, summary(n, false)));
        }
        sb.append("Cell magics (first line of a cell; the rest is the body):\n");
        for (String n : new TreeSet<>(registry.getCellMagicNames())) {
            sb.append(String.format("  %%%%%-17s %s%n", n, summary(n, true)));
        }
        sb.append("Add --help (or -h) to any magic, or put the cursor on it and press shift-tab, for its options.");
        return sb.toString();
    }

    private String summary(String name, boolean cell) {
        return spec(name, cell).map(s -> s.usageMessage().description()).filter(d -> d.length > 0)
                .map(d -> firstSentence(d[0])).orElse("");
    }

    /**
     * Completions of the last word of {@code args} (the text after the magic's name, up to the cursor): the
     * verbs of a command that has them, option names after '-', an option's fixed values after the option.
     */
    public List<String> complete(String name, boolean cell, List<String> words, String partial) {
        Optional<CommandSpec> root = spec(name, cell);
        if (root.isEmpty()) {
            return List.of();
        }
        CommandSpec cur = root.get();
        boolean positionalSeen = false;
        OptionSpec pending = null;
        for (String w : words) {
            if (pending != null) {
                pending = null;
                continue;
            }
            CommandLine sub = cur.subcommands().get(w);
            if (sub != null && !positionalSeen) {
                cur = sub.getCommandSpec();
                continue;
            }
            OptionSpec o = w.startsWith("-") ? cur.findOption(w.contains("=") ? w.substring(0, w.indexOf('=')) : w) : null;
            if (o != null && o.arity().max() > 0 && !w.contains("=")) {
                pending = o;
            } else if (!w.startsWith("-")) {
                positionalSeen = true;
            }
        }
        TreeSet<String> out = new TreeSet<>();
        if (pending != null && pending.completionCandidates() != null) {
            pending.completionCandidates().forEach(out::add);
        } else if (partial.startsWith("-")) {
            for (OptionSpec o : cur.options()) {
                if (!o.hidden()) {
                    out.addAll(List.of(o.names()));
                }
            }
        } else if (!positionalSeen) {
            cur.subcommands().keySet().stream().filter(k -> !k.equals("help")).forEach(out::add);
        }
        return out.stream().filter(c -> c.startsWith(partial)).toList();
    }

    private synchronized Optional<CommandSpec> spec(String name, boolean cell) {
        String key = (cell ? "%%" : "%") + name;
        if (!specs.containsKey(key)) {
            specs.put(key, build(name, key));
        }
        return Optional.ofNullable(specs.get(key));
    }

    private CommandSpec build(String name, String displayName) {
        for (Class<?> c : KernelMagics.COMMANDS) {
            if (c.getAnnotation(CommandLine.Command.class).name().equals(displayName)) {
                return new CommandLine(newInstance(c)).getCommandSpec();
            }
        }
        if (name.startsWith("neuron_")) {
            if (cli == null) {
                cli = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                        .getSubcommands();
            }
            CommandLine verb = cli.get(name.substring("neuron_".length()));
            if (verb != null) {
                // Its own root, so usage reads "Usage: %neuron_cache lookup", not "jneuron %neuron_cache lookup".
                CommandLine own = new CommandLine(verb.getCommandSpec().userObject());
                own.setCommandName(displayName);
                return own.getCommandSpec();
            }
        }
        return null;
    }

    private static Object newInstance(Class<?> c) {
        try {
            var ctor = c.getDeclaredConstructor();
            ctor.setAccessible(true);
            return ctor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("magic command " + c.getName() + " needs a no-argument constructor", e);
        }
    }

    private static String firstSentence(String s) {
        int dot = s.indexOf(". ");
        String first = dot < 0 ? s : s.substring(0, dot + 1);
        return first.length() > 100 ? first.substring(0, 97) + "..." : first;
    }

    /** {@code --version} of every magic: the kernel's version and the JDK it runs on. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = MagicCatalog.class.getPackage().getImplementationVersion();
            return new String[] {"jneuron kernel " + (v == null ? "dev" : v) + " on Java " + Runtime.version()};
        }
    }
}
