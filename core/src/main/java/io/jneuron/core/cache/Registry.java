package io.jneuron.core.cache;

import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.cache.internal.RegistryLookup;
import io.jneuron.core.cache.internal.RegistryScanner;
import io.jneuron.core.cache.internal.RegistryVerifier;
import io.jneuron.core.cache.internal.SafePaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The NEFF hash registry (optimum-neuron's {@code 0_REGISTRY}) over a {@link RegistrySource}: lookup,
 * listing and verify read any source and every historical layout; {@link #write} needs a local cache and
 * writes the current (v0.4.5+) layout. Thread-safe; concurrent writers of one entry are harmless because
 * every file is renamed into place and identical content gives an identical name.
 */
public final class Registry {
    private final RegistrySource source;
    /** The local cache root when writable, else null. */
    private final Path localRoot;

    private Registry(RegistrySource source, Path localRoot) {
        this.source = source;
        this.localRoot = localRoot;
    }

    /** The registries of the local cache folder {@code cacheRoot}; readable and writable. */
    public static Registry local(Path cacheRoot) {
        return new Registry(RegistrySource.local(cacheRoot), cacheRoot.toAbsolutePath().normalize());
    }

    /** A read-only registry over any source (e.g. a Hub cache repo). */
    public static Registry over(RegistrySource source) {
        return new Registry(source, null);
    }

    public RegistrySource source() {
        return source;
    }

    /** {@link #write(CompilerId, String, RegistryEntry)} into the version we write, {@link OptimumCompat#REGISTRY_VERSION}. */
    public WrittenEntry write(CompilerId compiler, RegistryEntry entry) {
        return write(compiler, OptimumCompat.REGISTRY_VERSION, entry);
    }

    /**
     * Writes {@code entry} as optimum-neuron v0.4.5+ does: the canonical file under its arch digest, then the alias
     * under {@code <model_type>/<org>/<name>/} (see {@link OptimumCompat#RELATIVE_ALIAS}).
     *
     * @throws CacheException for a read-only registry, an entry that is not a current single-model entry, a model
     *     id or model type that is not a safe folder name, or an I/O failure
     */
    public WrittenEntry write(CompilerId compiler, String registryVersion, RegistryEntry entry) {
        if (localRoot == null) {
            throw new CacheException("the registry at " + source.location() + " is read-only here; write into the "
                    + "local cache, then synchronize it to the Hub");
        }
        if (entry.recipe() != EntryRecipe.V0_2 || entry.isMultiModel()) {
            throw new CacheException("only current single-model entries are written (got " + entry.recipe() + ", "
                    + entry + "); build it with RegistryEntry.create");
        }
        SafePaths.refusal(registryVersion).or(() -> registryVersion.contains("/") ? Optional.of("contains '/'") : Optional.empty()).ifPresent(why -> {
            throw new CacheException("registry version '" + registryVersion + "' is not a folder name: " + why);
        });
        String modelId = entry.modelId().orElseThrow();
        String[] id = SafePaths.hubIdSegments(modelId, "model id");
        String modelType = SafePaths.hubIdSegments(entry.modelType().orElseThrow(), "model_type")[0];
        Path version = localRoot.resolve(compiler.folderName()).resolve(RegistryScanner.REGISTRY).resolve(registryVersion);
        Path canonical = version.resolve(entry.archDigest()).resolve(entry.hash() + ".json");
        Path alias = version.resolve(modelType).resolve(String.join("/", id)).resolve(entry.hash() + ".json");
        byte[] bytes = entry.toJson().getBytes(StandardCharsets.US_ASCII); // ensure_ascii: always pure ASCII
        try {
            boolean created = !sameContent(canonical, bytes);
            if (created) {
                AtomicFiles.write(canonical, bytes);
            }
            if (!Files.exists(alias)) {
                writeAlias(canonical, alias, bytes);
            }
            return new WrittenEntry(canonical, alias, created);
        } catch (IOException e) {
            throw new CacheException("cannot write registry entry " + canonical + ": " + e.getMessage()
                    + "; check that the cache folder is writable or pick another with --cache_dir", e);
        }
    }

    private static void writeAlias(Path canonical, Path alias, byte[] bytes) throws IOException {
        AtomicFiles.createDirectories(alias.getParent());
        Path target = OptimumCompat.RELATIVE_ALIAS ? alias.getParent().relativize(canonical) : canonical;
        try {
            Files.createSymbolicLink(alias, target);
        } catch (FileAlreadyExistsException e) {
            // another writer made it first: same name, same content
        } catch (UnsupportedOperationException | IOException e) {
            AtomicFiles.write(alias, bytes); // no symlinks here: a copy, as the Hub holds it
        }
    }

    private static boolean sameContent(Path p, byte[] bytes) throws IOException {
        return Files.isRegularFile(p) && Files.size(p) == bytes.length && Arrays.equals(Files.readAllBytes(p), bytes);
    }

    /** The stored copy of {@code entry} in the current layout, if it is registered. */
    public Optional<StoredEntry> find(CompilerId compiler, String registryVersion, RegistryEntry entry) {
        String folder = compiler.folderName() + "/" + RegistryScanner.REGISTRY + "/" + registryVersion + "/"
                + entry.archDigest();
        List<StoredEntry> entries = new ArrayList<>();
        new RegistryScanner(source).walk(new RegistryScanner.Folder(compiler, registryVersion,
                compiler.folderName() + "/" + RegistryScanner.REGISTRY + "/" + registryVersion), entry.archDigest(), 1,
                new RegistryScanner.Visitor((e, bytes) -> entries.add(e), p -> { }));
        return entries.stream().filter(e -> e.fileHash().equals(entry.hash()) && e.path().startsWith(folder)).findFirst();
    }

    /** Every entry under every compiler folder and registry version, plus what was skipped and why. */
    public RegistryScan scan() {
        RegistryScanner scanner = new RegistryScanner(source);
        List<StoredEntry> entries = new ArrayList<>();
        List<RegistryProblem> problems = new ArrayList<>();
        RegistryScanner.Visitor c = new RegistryScanner.Visitor((e, bytes) -> entries.add(e), problems::add);
        for (RegistryScanner.Folder f : scanner.folders(c)) {
            scanner.walk(f, "", 5, c);
        }
        return new RegistryScan(entries, problems);
    }

    /**
     * The cached configurations of a model (spec §3.2), best strategy first; problems met on the way are passed to
     * {@code skipped}. An empty list is a miss.
     */
    public List<LookupMatch> lookup(LookupQuery query, java.util.function.Consumer<RegistryProblem> skipped) {
        return lookup(query, java.util.EnumSet.allOf(LookupStrategy.class), skipped);
    }

    /** {@link #lookup(LookupQuery, java.util.function.Consumer)} trying only {@code strategies}, in their usual order. */
    public List<LookupMatch> lookup(LookupQuery query, java.util.Set<LookupStrategy> strategies,
                                    java.util.function.Consumer<RegistryProblem> skipped) {
        return new RegistryLookup(new RegistryScanner(source), strategies).lookup(query, skipped);
    }

    /** Re-hashes every registry file (see {@link RegistryVerifier}); one result per file, sorted by path. */
    public List<VerifyResult> verify() {
        return RegistryVerifier.verify(new RegistryScanner(source));
    }
}
