package io.jneuron.core.cache;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Registry#lookup} against an independent Python oracle (core/src/test/python/lookup_oracle.py) on a local
 * cache holding several models, compiler folders and registry layouts (golden/lookup/cache), for every combination
 * of the filters task, batch size, sequence length, tensor parallel size, dtype and instance type (each absent, or
 * set to a matching and a non-matching value; dtype and instance type in several spellings). The rows must be equal
 * field by field and in the same order. Regenerate with {@code /usr/bin/python3 core/src/test/python/make_lookup_goldens.py}.
 */
class LookupOracleTest {

    @Test
    @SuppressWarnings("unchecked")
    void lookupReturnsTheOraclesRowsForEveryFilterCombination() {
        Map<String, Object> golden = (Map<String, Object>) PyJson.parse(Goldens.text("lookup/answers.json"),
                "answers.json");
        Map<String, Object> configs = (Map<String, Object>) golden.get("configs");
        List<Object> rows = (List<Object>) golden.get("rows");
        List<Object> queries = (List<Object>) golden.get("queries");
        assertEquals(List.of("name", "model_id", "task", "batch_size", "sequence_length", "tensor_parallel_size",
                "dtype", "instance_type", "expected"), golden.get("columns"));
        // The local source, its listings and files memoised: the same lookup code, without re-reading the same
        // 40 files 14575 times (the plain local source is checked on a sample below).
        Registry registry = Registry.over(new MemoSource(RegistrySource.local(fixture())));
        Registry direct = Registry.local(fixture());

        long t0 = System.nanoTime();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
        // Registry is thread-safe; the combinations are independent, so they run on every core.
        java.util.stream.IntStream.range(0, queries.size()).parallel().forEach(n -> {
            List<Object> q = (List<Object>) queries.get(n);
            String name = (String) q.get(0);
            LookupQuery query = new LookupQuery((String) q.get(1), (Map<String, Object>) configs.get(name),
                    (String) q.get(2), (Long) q.get(3), (Long) q.get(4), (Long) q.get(5), (String) q.get(6),
                    (String) q.get(7));
            List<Object> expected = new ArrayList<>();
            for (Object i : (List<Object>) q.get(8)) {
                expected.add(rows.get(((Long) i).intValue()));
            }
            List<Object> actual = rows(registry.lookup(query, p -> { }));
            if (n % 97 == 0 && !actual.equals(rows(direct.lookup(query, p -> { })))) {
                failures.add(q.subList(0, 8) + ": the memoised and the plain local source differ");
            }
            if (!expected.equals(actual)) {
                failures.add(q.subList(0, 8) + "\n    python: " + expected + "\n    java:   " + actual);
            }
            hits.addAndGet(expected.isEmpty() ? 0 : 1);
        });
        int withRows = hits.get();
        System.out.printf("LookupOracleTest: %d combinations in %d ms%n", queries.size(), (System.nanoTime() - t0) / 1_000_000);
        assertTrue(failures.isEmpty(), failures.size() + " of " + queries.size() + " lookups differ from the oracle; first:\n"
                + String.join("\n", failures.subList(0, Math.min(3, failures.size()))));
        // The golden exercises every strategy, hits and misses.
        assertEquals(14575, queries.size());
        assertTrue(withRows > 1000 && withRows < queries.size() / 2, "hits: " + withRows);
        assertEquals(List.of("alias", "arch-digest", "config"), rows.stream()
                .map(r -> (String) ((Map<String, Object>) r).get("strategy")).distinct().sorted().toList());
    }

    @Test
    void skippedFilesAreReportedNotReturned() {
        Registry registry = Registry.local(Goldens.path("lookup/cache"));
        Map<String, Object> changed = new LinkedHashMap<>(Fixtures.config("worked-example"));
        changed.put("rope_theta", 10000.0);
        List<RegistryProblem> problems = new ArrayList<>();
        List<LookupMatch> rows = registry.lookup(LookupQuery.of(Fixtures.LLAMA, changed), problems::add);
        assertEquals(8, rows.size(), rows.toString());
        assertTrue(problems.stream().anyMatch(p -> p.path().endsWith("/0badc0ffee0badc0ffee.json")), problems.toString());
        assertTrue(rows.stream().noneMatch(r -> r.path().startsWith("other-") || r.path().startsWith("neuronxcc-current")
                || r.entry().startsWith(".")), rows.toString());
    }

    /** {@code cache lookup}'s JSON rows plus the compiler folder and registry version, as the oracle writes them. */
    private static List<Object> rows(List<LookupMatch> matches) {
        List<Object> out = new ArrayList<>();
        List<Object> report = new io.jneuron.core.service.CacheResults.Lookup("m", Path.of("."), null, matches).json();
        for (int i = 0; i < matches.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = new LinkedHashMap<>((Map<String, Object>) report.get(i));
            r.put("compiler", matches.get(i).compiler().folderName());
            r.put("registry_version", matches.get(i).registryVersion());
            out.add(r);
        }
        return out;
    }

    static Path fixture() {
        return Goldens.path("lookup/cache");
    }

    /** A source that lists and reads each path of {@code inner} once; name and location are {@code inner}'s. */
    static final class MemoSource implements RegistrySource {
        private final RegistrySource inner;
        private final Map<String, List<Item>> lists = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, byte[]> files = new java.util.concurrent.ConcurrentHashMap<>();

        MemoSource(RegistrySource inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public String location() {
            return inner.location();
        }

        @Override
        public List<Item> list(String folder) {
            return lists.computeIfAbsent(folder, inner::list);
        }

        @Override
        public byte[] read(String file, long maxBytes) {
            return files.computeIfAbsent(file, f -> inner.read(f, maxBytes)).clone();
        }
    }
}
