package io.jneuron.core.cache;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A registry source that lies, as a hostile Hub repo could: listed names with "..", absolute paths, children of
 * other folders. The scanner reports them and never asks the source to read them.
 */
class HostileSourceTest {
    private static final String V = "neuronxcc-2.21.33363.0+82129205/0_REGISTRY/0.4.5";
    private static final String DIGEST = "b6044fb704e3fcc9e20e960f055dac44a44e9a6fd42926649b83378883e430c7";

    /** An in-memory tree whose listings are taken verbatim from a map, like an HTTP tree listing. */
    static final class FakeHub implements RegistrySource {
        final Map<String, List<Item>> listings = new TreeMap<>();
        final Map<String, byte[]> files = new TreeMap<>();
        final List<String> reads = new ArrayList<>();

        @Override
        public String name() {
            return "hub";
        }

        @Override
        public String location() {
            return "evil/cache";
        }

        @Override
        public List<Item> list(String folder) {
            return listings.getOrDefault(folder, List.of());
        }

        @Override
        public byte[] read(String file, long maxBytes) {
            reads.add(file);
            return files.get(file);
        }
    }

    @Test
    void listedPathsThatLeaveTheirFolderAreReportedAndNeverRead() {
        FakeHub hub = new FakeHub();
        String good = V + "/" + DIGEST + "/a4c4264c36821c82951d.json";
        hub.listings.put("", List.of(new RegistrySource.Item("neuronxcc-2.21.33363.0+82129205", true, 0, null),
                new RegistrySource.Item("../../etc", true, 0, null)));
        hub.listings.put("neuronxcc-2.21.33363.0+82129205/0_REGISTRY",
                List.of(new RegistrySource.Item(V, true, 0, null)));
        hub.listings.put(V, List.of(new RegistrySource.Item(V + "/" + DIGEST, true, 0, null),
                new RegistrySource.Item("/etc/passwd.json", false, 10, null),
                new RegistrySource.Item(V + "/../../../secrets.json", false, 10, null),
                new RegistrySource.Item(V + "/llama/x/y/z.json", false, 10, null)));
        hub.listings.put(V + "/" + DIGEST, List.of(new RegistrySource.Item(good, false, 1261, null)));
        hub.files.put(good, Goldens.text("registry/entries/worked-example.json").getBytes(StandardCharsets.US_ASCII));

        RegistryScan scan = Registry.over(hub).scan();
        assertEquals(List.of(good), scan.entries().stream().map(StoredEntry::path).toList());
        assertEquals("hub", scan.entries().get(0).source());
        assertEquals(Set.of("/etc/passwd.json", V + "/../../../secrets.json", V + "/llama/x/y/z.json"),
                scan.problems().stream().map(RegistryProblem::path).collect(Collectors.toSet()), scan.problems().toString());
        assertEquals(List.of(good), hub.reads);

        List<VerifyResult> verified = Registry.over(hub).verify();
        assertEquals(1, verified.stream().filter(VerifyResult::ok).count());
        assertEquals(3, verified.stream().filter(r -> !r.ok()).count());
        List<LookupMatch> rows = Registry.over(hub).lookup(LookupQuery.of(Fixtures.LLAMA, Fixtures.config("worked-example")),
                p -> { });
        assertEquals(List.of("hub"), rows.stream().map(LookupMatch::source).toList());
        CacheException e = org.junit.jupiter.api.Assertions.assertThrows(CacheException.class,
                () -> Registry.over(hub).write(Fixtures.NEURONXCC, Fixtures.entry("worked-example")));
        assertTrue(e.getMessage().startsWith("the registry at evil/cache is read-only here"), e.getMessage());
    }
}
