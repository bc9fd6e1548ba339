package io.jneuron.core.testing;

import io.jneuron.core.NeuronKernelException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds a jar in the local Maven repository ({@code -Dmaven.repo.local}, else {@code ~/.m2/repository}),
 * fetching it with Maven's own client ({@code mvn dependency:get}) when it is not there yet.
 */
public final class MavenJars {
    private MavenJars() {
    }

    /** The local repository's path of {@code group:artifact:version}. */
    public static Path localPath(String coordinates) {
        String[] p = coordinates.split(":");
        if (p.length != 3) {
            throw new NeuronKernelException("bad Maven coordinates '" + coordinates + "'; expected group:artifact:version");
        }
        String repo = System.getProperty("maven.repo.local");
        Path root = repo != null && !repo.isBlank() ? Path.of(repo)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return root.resolve(p[0].replace('.', '/')).resolve(p[1]).resolve(p[2]).resolve(p[1] + "-" + p[2] + ".jar");
    }

    /** The jar, fetched through {@code mvn} first when the local repository lacks it. */
    public static Path resolve(String coordinates) {
        Path jar = localPath(coordinates);
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        List<String> cmd = List.of("mvn", "-B", "-q", "dependency:get", "-Dartifact=" + coordinates,
                "-Dtransitive=false");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new NeuronKernelException("'" + String.join(" ", cmd) + "' failed: "
                        + new String(out, StandardCharsets.UTF_8).strip() + "; fetch the jar and pass --jar FILE");
            }
        } catch (IOException e) {
            throw new NeuronKernelException("cannot run Maven to fetch " + coordinates + " (" + e.getMessage()
                    + "); install Maven or pass --jar FILE", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NeuronKernelException("interrupted while fetching " + coordinates, e);
        }
        if (!Files.isRegularFile(jar)) {
            throw new NeuronKernelException("Maven fetched " + coordinates + " but " + jar + " is missing; pass --jar FILE");
        }
        return jar;
    }
}
