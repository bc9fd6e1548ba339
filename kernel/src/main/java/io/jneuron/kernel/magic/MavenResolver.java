package io.jneuron.kernel.magic;

import io.jneuron.core.NeuronKernelException;
import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.io.xpp3.SettingsXpp3Reader;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves {@code group:artifact[:extension[:classifier]]:version} with its runtime dependencies as Maven does:
 * through Maven Resolver, with the user's settings.xml (local repository, mirrors, servers' credentials,
 * proxies). Artifacts land in the local repository, so a second resolution is offline. Not thread-safe.
 */
public final class MavenResolver {
    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    private final Path settingsFile;
    private final Path defaultLocalRepo;

    /** @param settingsFile the user's settings.xml (may not exist); @param defaultLocalRepo used unless it names one */
    public MavenResolver(Path settingsFile, Path defaultLocalRepo) {
        this.settingsFile = settingsFile;
        this.defaultLocalRepo = defaultLocalRepo;
    }

    /**
     * The user's Maven setup: ~/.m2/settings.xml and ~/.m2/repository, as the mvn command uses them. Another
     * settings file (as {@code mvn -s}) comes from {@code neuron.kernel.maven.settings} or
     * {@code NEURON_KERNEL_MAVEN_SETTINGS}.
     */
    public static MavenResolver forUser() {
        Path m2 = Path.of(System.getProperty("user.home"), ".m2");
        String settings = System.getProperty("neuron.kernel.maven.settings", System.getenv("NEURON_KERNEL_MAVEN_SETTINGS"));
        String local = System.getProperty("maven.repo.local");
        return new MavenResolver(settings != null ? Path.of(settings) : m2.resolve("settings.xml"),
                local != null ? Path.of(local) : m2.resolve("repository"));
    }

    /** The jars of {@code coordinates} and of everything they need at run time, in resolution order. */
    public List<Path> resolve(List<String> coordinates, List<String> extraRepositories) {
        Settings settings = readSettings();
        Path localRepo = settings.getLocalRepository() != null && !settings.getLocalRepository().isBlank()
                ? Path.of(settings.getLocalRepository()) : defaultLocalRepo;
        RepositorySystem system = new RepositorySystemSupplier().get();
        try (RepositorySystemSession.CloseableSession session = new SessionBuilderSupplier(system).get()
                .withLocalRepositoryBaseDirectories(localRepo)
                .setMirrorSelector(mirrors(settings))
                .setAuthenticationSelector(credentials(settings))
                .setProxySelector(proxies(settings))
                .build()) {
            List<RemoteRepository> repos = new ArrayList<>();
            repos.add(new RemoteRepository.Builder("central", "default", CENTRAL).build());
            for (int i = 0; i < extraRepositories.size(); i++) {
                repos.add(new RemoteRepository.Builder("repo" + (i + 1), "default", extraRepositories.get(i)).build());
            }
            CollectRequest collect = new CollectRequest();
            for (String c : coordinates) {
                collect.addDependency(new Dependency(artifact(c), JavaScopes.RUNTIME));
            }
            // Mirrors, credentials and proxies apply here, as in Maven itself.
            collect.setRepositories(system.newResolutionRepositories(session, repos));
            DependencyRequest request = new DependencyRequest(collect,
                    DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
            List<Path> jars = new ArrayList<>();
            for (ArtifactResult r : system.resolveDependencies(session, request).getArtifactResults()) {
                jars.add(r.getArtifact().getPath());
            }
            return jars;
        } catch (DependencyResolutionException e) {
            throw new NeuronKernelException("%maven: cannot resolve " + String.join(" ", coordinates) + ": "
                    + firstLine(e.getMessage()) + "; check the coordinates, the network and the mirrors in "
                    + settingsFile);
        } finally {
            system.shutdown();
        }
    }

    private static DefaultArtifact artifact(String coordinates) {
        try {
            return new DefaultArtifact(coordinates);
        } catch (IllegalArgumentException e) {
            throw new NeuronKernelException("%maven: '" + coordinates + "' is not GROUP:ARTIFACT:VERSION (or "
                    + "GROUP:ARTIFACT:EXTENSION[:CLASSIFIER]:VERSION), e.g. org.apache.commons:commons-text:1.12.0");
        }
    }

    private Settings readSettings() {
        if (!Files.isRegularFile(settingsFile)) {
            return new Settings();
        }
        try (Reader r = Files.newBufferedReader(settingsFile)) {
            return new SettingsXpp3Reader().read(r, false);
        } catch (IOException | org.codehaus.plexus.util.xml.pull.XmlPullParserException e) {
            throw new NeuronKernelException("%maven: cannot read " + settingsFile + ": " + e.getMessage()
                    + "; fix the file or move it away");
        }
    }

    private static DefaultMirrorSelector mirrors(Settings s) {
        DefaultMirrorSelector sel = new DefaultMirrorSelector();
        for (Mirror m : s.getMirrors()) {
            sel.add(m.getId(), m.getUrl(), m.getLayout(), false, m.isBlocked(), m.getMirrorOf(), m.getMirrorOfLayouts());
        }
        return sel;
    }

    private static DefaultAuthenticationSelector credentials(Settings s) {
        DefaultAuthenticationSelector sel = new DefaultAuthenticationSelector();
        for (Server srv : s.getServers()) {
            if (srv.getUsername() != null) {
                sel.add(srv.getId(), new AuthenticationBuilder().addUsername(srv.getUsername())
                        .addPassword(srv.getPassword()).build());
            }
        }
        return sel;
    }

    private static DefaultProxySelector proxies(Settings s) {
        DefaultProxySelector sel = new DefaultProxySelector();
        for (Proxy p : s.getProxies()) {
            if (p.isActive()) {
                sel.add(new org.eclipse.aether.repository.Proxy(p.getProtocol(), p.getHost(), p.getPort(),
                        p.getUsername() == null ? null : new AuthenticationBuilder().addUsername(p.getUsername())
                                .addPassword(p.getPassword()).build()), p.getNonProxyHosts());
            }
        }
        return sel;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
