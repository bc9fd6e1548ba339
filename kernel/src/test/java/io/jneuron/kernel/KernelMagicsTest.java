package io.jneuron.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.UndefinedMagicException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Magics as IJava and IPython users know them: on any line, %maven through a settings.xml mirror (a file
 * repository made here, so the test needs no network), %jars, %classpath, %load, help and completion.
 */
class KernelMagicsTest {
    @TempDir
    static Path dir;
    static NeuronKernel kernel;

    @BeforeAll
    static void start() throws Exception {
        Path repo = dir.resolve("repo");
        // greeter 1.0 depends on words 1.0: %maven greeter must bring both.
        deploy(repo, "words", "package demo.words; public class Words { public static String hello() { return \"hello\"; } }",
                "demo.words.Words", "", dir);
        deploy(repo, "greeter", "package demo.greeter; public class Greeter { public static String greet(String n) { "
                        + "return demo.words.Words.hello() + \", \" + n; } }", "demo.greeter.Greeter",
                "<dependencies><dependency><groupId>demo</groupId><artifactId>words</artifactId><version>1.0</version>"
                        + "</dependency></dependencies>", dir.resolve("repo/demo/words/1.0/words-1.0.jar"));
        Path settings = dir.resolve("settings.xml");
        Files.writeString(settings, "<settings><localRepository>" + dir.resolve("local") + "</localRepository>"
                + "<mirrors><mirror><id>all</id><mirrorOf>*</mirrorOf><url>" + repo.toUri() + "</url></mirror>"
                + "</mirrors></settings>");
        System.setProperty("neuron.kernel.maven.settings", settings.toString());
        kernel = NeuronKernel.create();
        kernel.onStartup();
    }

    @AfterAll
    static void stop() {
        System.clearProperty("neuron.kernel.maven.settings");
        kernel.onShutdown(false);
    }

    static String text(DisplayData d) {
        return d == null ? null : (String) d.getData(MIMEType.TEXT_PLAIN);
    }

    @Test
    void mavenResolvesTransitivelyThroughTheMirrorAndTheNextCellUsesIt() {
        String added = text(kernel.eval("%maven demo:greeter:1.0"));
        assertTrue(added.contains("greeter-1.0.jar") && added.contains("words-1.0.jar"), added);
        assertTrue(added.contains(dir.resolve("local").toString()), "jars land in settings.xml's local repository: " + added);
        assertEquals("hello, jupyter", text(kernel.eval("demo.greeter.Greeter.greet(\"jupyter\")")));
        Exception bad = assertThrows(RuntimeException.class, () -> kernel.eval("%maven demo:nosuch:1.0"));
        assertTrue(bad.getMessage().contains("cannot resolve demo:nosuch:1.0"), bad.getMessage());
    }

    @Test
    void jarsClasspathAndLoad() throws Exception {
        Path lib = dir.resolve("lib");
        Files.createDirectories(lib);
        compileJar("package demo.j; public class J { public static int one() { return 1; } }", "demo.j.J",
                lib.resolve("j.jar"), null);
        String added = text(kernel.eval("%jars " + lib + "/*.jar"));
        assertTrue(added.contains("j.jar"), added);
        assertEquals("1", text(kernel.eval("demo.j.J.one()")));
        assertThrows(RuntimeException.class, () -> kernel.eval("%jars " + lib + "/none-*.jar"));
        assertThrows(RuntimeException.class, () -> kernel.eval("%classpath " + dir.resolve("missing")));

        Path script = dir.resolve("setup.jshell");
        Files.writeString(script, "int loaded = 41;\nloaded + 1\n");
        assertEquals("42", text(kernel.eval("%load " + script)));
        assertEquals("41", text(kernel.eval("loaded")));
    }

    @Test
    void magicsMixWithJavaAndExpandArguments() {
        assertEquals("7", text(kernel.eval("int seven = 7;\n%lsmagic\nseven")));
        String listing = text(kernel.eval("%lsmagic"));
        for (String m : List.of("%maven", "%jars", "%classpath", "%load", "%lsmagic", "%neuron_cache", "%%neuron_generate")) {
            assertTrue(listing.contains(m), m + " in " + listing);
        }
        kernel.eval("String where = \"" + dir.resolve("setup2.jshell") + "\";");
        Exception e = assertThrows(RuntimeException.class, () -> kernel.eval("%load $where"));
        assertTrue(e.getMessage().contains(dir.resolve("setup2.jshell").toString()), e.getMessage());
        e = assertThrows(RuntimeException.class, () -> kernel.eval("%load {where + \".x\"}"));
        assertTrue(e.getMessage().contains("setup2.jshell.x"), e.getMessage());
    }

    @Test
    void aMagicAssignmentYieldsItsResultTyped() {
        assertNull(kernel.eval("var listing = %lsmagic"));
        assertEquals("org.dflib.jjava.jupyter.kernel.display.DisplayData",
                text(kernel.eval("listing.getClass().getName()")));
    }

    @Test
    void helpAndVersionOnEveryMagicWhateverTheBody() {
        for (String m : kernel.getMagicsRegistry().getLineMagicNames()) {
            String help = text(kernel.eval("%" + m + " --help"));
            assertNotNull(help, m);
            assertTrue(help.startsWith("Usage: %" + m + " ") && help.contains("-h, --help"), m + ": " + help);
            assertEquals(help, text(kernel.eval("%" + m + " -h")));
            assertEquals(help, text(kernel.eval("%" + m + "?")));
            assertTrue(text(kernel.eval("%" + m + " --version")).startsWith("jneuron kernel"), m);
        }
        for (String m : kernel.getMagicsRegistry().getCellMagicNames()) {
            String help = text(kernel.eval("%%" + m + " --help\nA body line."));
            assertTrue(help.startsWith("Usage: %%" + m + " ") && help.contains("-h, --help"), m + ": " + help);
            assertEquals(help, text(kernel.eval("%%" + m + " -h")));
            assertTrue(text(kernel.eval("%%" + m + " -V\nbody")).startsWith("jneuron kernel"), m);
        }
        String gen = text(kernel.eval("%%neuron_generate --help"));
        assertTrue(gen.contains("%%neuron_generate") && gen.contains("--max_new_tokens"), gen);
        assertEquals(gen, text(kernel.eval("%%neuron_generate -h\nsome prompt")));
        assertTrue(text(kernel.eval("%neuron_cache lookup --help")).contains("--sequence_length"));
        assertThrows(UndefinedMagicException.class, () -> kernel.eval("%nosuch --help"));
    }

    @Test
    void completesVerbsOptionsAndValues() {
        assertEquals(List.of("lookup"), kernel.complete("%neuron_cache lo", 16).getReplacements());
        assertEquals(14, kernel.complete("%neuron_cache lo", 16).getSourceStart());
        assertTrue(kernel.complete("%neuron_export --seq", 20).getReplacements().contains("--sequence_length"));
        assertTrue(kernel.complete("int a = 1;\n%neuron_cache ", 25).getReplacements().containsAll(
                List.of("lookup", "list", "status", "cleanup", "verify")));
        assertTrue(kernel.complete("%maven --rep", 12).getReplacements().contains("--repository"));
        assertTrue(kernel.complete("%%neuron_generate m --max", 25).getReplacements().contains("--max_new_tokens"));
    }

    @Test
    void inspectOnAMagicShowsItsHelp() {
        String help = text(kernel.inspect("%neuron_export /m /o", 3, false));
        assertTrue(help.contains("--sequence_length"), help);
    }

    private static void deploy(Path repo, String artifact, String source, String className, String deps, Path classpath)
            throws IOException {
        Path folder = repo.resolve("demo/" + artifact + "/1.0");
        Files.createDirectories(folder);
        compileJar(source, className, folder.resolve(artifact + "-1.0.jar"), classpath);
        Files.writeString(folder.resolve(artifact + "-1.0.pom"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>demo</groupId><artifactId>" + artifact + "</artifactId><version>1.0</version>" + deps
                + "</project>");
    }

    private static void compileJar(String source, String className, Path jar, Path classpath) throws IOException {
        Path src = Files.createTempDirectory(dir, "src");
        Path file = src.resolve(className.substring(className.lastIndexOf('.') + 1) + ".java");
        Files.writeString(file, source);
        Path out = Files.createTempDirectory(dir, "classes");
        int rc = classpath == null || !Files.isRegularFile(classpath)
                ? ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(), file.toString())
                : ToolProvider.getSystemJavaCompiler().run(null, null, null, "-cp", classpath.toString(), "-d",
                out.toString(), file.toString());
        assertEquals(0, rc, "compiling " + className);
        String entry = className.replace('.', '/') + ".class";
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os)) {
            j.putNextEntry(new JarEntry(entry));
            j.write(Files.readAllBytes(out.resolve(entry)));
            j.closeEntry();
        }
    }
}
