package io.jneuron.kernel.magic;

import io.jneuron.core.NeuronKernelException;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The magics every Java notebook user reaches for first, as IJava has them: {@code %maven}, {@code %jars},
 * {@code %classpath}, {@code %load} and {@code %lsmagic}. Each is a picocli command (so help and completion come
 * from one declaration) that parses, makes one call on its {@link Host}, and returns a short text result.
 */
public final class KernelMagics {
    /** What these magics need from the kernel. */
    public interface Host {
        /** Adds jars or class folders to JShell's class path (compiler and loader). */
        void addToClasspath(List<Path> paths);

        /** Runs {@code code} as a cell (Java and magics); returns its value. */
        Object evalCell(String code);

        MagicsRegistry magics();
    }

    private final Host host;
    private final MavenResolver maven;
    private final MagicCatalog catalog;

    public KernelMagics(Host host, MavenResolver maven, MagicCatalog catalog) {
        this.host = host;
        this.maven = maven;
        this.catalog = catalog;
    }

    /** The picocli command classes, by magic name. */
    static final List<Class<?>> COMMANDS = List.of(Maven.class, Jars.class, Classpath.class, Load.class, LsMagic.class);

    public void register(MagicsRegistry registry) {
        registry.registerLineMagic("maven", (BaseKernel k, List<String> a) -> maven(parse(new Maven(), a)))
                .registerLineMagic("jars", (BaseKernel k, List<String> a) -> jars(parse(new Jars(), a)))
                .registerLineMagic("classpath", (BaseKernel k, List<String> a) -> classpath(parse(new Classpath(), a)))
                .registerLineMagic("load", (BaseKernel k, List<String> a) -> host.evalCell(
                        read(parse(new Load(), a).file)))
                .registerLineMagic("lsmagic", (BaseKernel k, List<String> a) -> {
                    parse(new LsMagic(), a);
                    return new DisplayData(catalog.listing(registry));
                });
    }

    private DisplayData maven(Maven m) {
        List<Path> jars = maven.resolve(m.coordinates, m.repositories);
        host.addToClasspath(jars);
        return added(jars);
    }

    private DisplayData jars(Jars j) {
        List<Path> found = new ArrayList<>();
        for (String g : j.globs) {
            List<Path> hits = glob(g);
            if (hits.isEmpty()) {
                throw new NeuronKernelException("%jars: no jar matches " + g + "; give a path or a glob such as "
                        + "lib/*.jar (relative paths start at " + Path.of("").toAbsolutePath() + ")");
            }
            found.addAll(hits);
        }
        host.addToClasspath(found);
        return added(found);
    }

    private DisplayData classpath(Classpath c) {
        List<Path> paths = new ArrayList<>();
        for (String entry : c.paths) {
            for (String p : entry.split(java.io.File.pathSeparator)) {
                Path path = Path.of(p).toAbsolutePath().normalize();
                if (!Files.exists(path)) {
                    throw new NeuronKernelException("%classpath: " + path + " does not exist; give a jar or a folder "
                            + "of classes");
                }
                paths.add(path);
            }
        }
        host.addToClasspath(paths);
        return added(paths);
    }

    private static DisplayData added(List<Path> paths) {
        StringBuilder sb = new StringBuilder("added to the class path (" + paths.size() + "):");
        paths.forEach(p -> sb.append("\n  ").append(p));
        return new DisplayData(sb.toString());
    }

    /** Paths matching a glob such as {@code lib/*.jar} or {@code ~/jars/**.jar}; a plain path matches itself. */
    static List<Path> glob(String pattern) {
        String p = pattern.startsWith("~/") ? System.getProperty("user.home") + pattern.substring(1) : pattern;
        int wild = indexOfWildcard(p);
        if (wild < 0) {
            Path path = Path.of(p).toAbsolutePath().normalize();
            return Files.exists(path) ? List.of(path) : List.of();
        }
        int slash = p.lastIndexOf('/', wild);
        Path base = Path.of(slash < 0 ? "." : (slash == 0 ? "/" : p.substring(0, slash))).toAbsolutePath().normalize();
        String rest = slash < 0 ? p : p.substring(slash + 1);
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(base, rest.contains("**") ? Integer.MAX_VALUE : rest.split("/").length)) {
            return s.filter(Files::isRegularFile).filter(f -> m.matches(base.relativize(f))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOfWildcard(String s) {
        for (int i = 0; i < s.length(); i++) {
            if ("*?[{".indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new NeuronKernelException("%load: cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    private static <T> T parse(T command, List<String> args) {
        CommandLine cl = new CommandLine(command);
        try {
            cl.parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new NeuronKernelException(e.getCommandLine().getCommandName() + ": " + e.getMessage() + "\nusage: "
                    + e.getCommandLine().getHelp().synopsis(0).strip() + "  (add --help for more)");
        }
        return command;
    }

    @Command(name = "%maven", mixinStandardHelpOptions = true, versionProvider = MagicCatalog.Version.class,
            description = "Adds Maven artifacts and everything they need at run time to the class path, resolved as "
                    + "Maven does: the local repository, and the mirrors, servers and proxies of ~/.m2/settings.xml.")
    static final class Maven {
        @Parameters(arity = "1..*", paramLabel = "GROUP:ARTIFACT:VERSION",
                description = "Coordinates, e.g. org.apache.commons:commons-text:1.12.0")
        List<String> coordinates = new ArrayList<>();

        @Option(names = "--repository", paramLabel = "URL",
                description = "Another repository to search besides Maven Central (repeatable).")
        List<String> repositories = new ArrayList<>();
    }

    @Command(name = "%jars", mixinStandardHelpOptions = true, versionProvider = MagicCatalog.Version.class,
            description = "Adds jars to the class path: paths or globs such as lib/*.jar or ~/jars/**.jar.")
    static final class Jars {
        @Parameters(arity = "1..*", paramLabel = "GLOB", description = "A jar, or a glob of jars.")
        List<String> globs = new ArrayList<>();
    }

    @Command(name = "%classpath", mixinStandardHelpOptions = true, versionProvider = MagicCatalog.Version.class,
            description = "Adds jars or folders of classes to the class path (entries may be joined with ':').")
    static final class Classpath {
        @Parameters(arity = "1..*", paramLabel = "PATH", description = "A jar or a folder of classes.")
        List<String> paths = new ArrayList<>();
    }

    @Command(name = "%load", mixinStandardHelpOptions = true, versionProvider = MagicCatalog.Version.class,
            description = "Runs a file of Java snippets (and magics) as if it were this cell.")
    static final class Load {
        @Parameters(arity = "1", paramLabel = "FILE", description = "The file to run, e.g. setup.jshell.")
        Path file;
    }

    @Command(name = "%lsmagic", mixinStandardHelpOptions = true, versionProvider = MagicCatalog.Version.class,
            description = "Lists every line and cell magic, with what it does.")
    static final class LsMagic {
    }
}
