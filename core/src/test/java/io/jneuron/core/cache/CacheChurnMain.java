package io.jneuron.core.cache;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * One of the processes of {@link SharedCacheProcessesTest}: for the given seconds it exports (compile once,
 * register) random configurations of one model into a shared cache, looks the model up, and checks every hit
 * byte for byte against what that configuration compiles to; now and then it runs the default cleanup.
 * Args: cacheRoot seconds seed. Prints "ok exports=N compiled=N lookups=N" or "BAD ..." (exit 1).
 */
public final class CacheChurnMain {
    static final int CONFIGS = 120;
    static final Map<String, Object> CONFIG = Map.of("model_type", "llama", "hidden_size", 64L, "num_hidden_layers", 2L);

    private CacheChurnMain() {
    }

    static RegistryEntry entry(int i) {
        Map<String, Object> n = new TreeMap<>();
        n.put("compiler_type", "jneuron-cpu");
        n.put("compiler_version", "0.1.0");
        n.put("checkpoint_id", "local/churn");
        n.put("checkpoint_revision", "r1");
        n.put("batch_size", (long) (1 + i % 8));
        n.put("sequence_length", 128L * (1 + i / 8));
        n.put("auto_cast_type", "fp32");
        return RegistryEntry.create(CONFIG, n, "local/churn", "text-generation");
    }

    /** What configuration {@code hash} compiles to: 192 KiB that only it produces. */
    static byte[] artifact(String hash) {
        byte[] seed = hash.getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[192 << 10];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed[i % seed.length] + i / seed.length);
        }
        return b;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        long deadline = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
        Random rnd = new Random(Long.parseLong(args[2]));
        CompileCache cache = CacheRoot.at(root).compileCache(CachePoisoningTest.CPU);
        Map<String, Integer> byHash = new HashMap<>();
        List<RegistryEntry> entries = new ArrayList<>();
        for (int i = 0; i < CONFIGS; i++) {
            entries.add(entry(i));
            byHash.put(entries.get(i).hash(), i);
        }
        int exports = 0;
        int compiled = 0;
        int lookups = 0;
        while (System.nanoTime() < deadline) {
            RegistryEntry e = entries.get(rnd.nextInt(CONFIGS));
            byte[] want = artifact(e.hash());
            CompileOutcome out = cache.compileOnce(e.hash(), w -> {
                try (OutputStream o = Files.newOutputStream(w.resolve("model.cpu"))) {
                    for (int off = 0; off < want.length; off += 32 << 10) {
                        o.write(want, off, 32 << 10);
                        Thread.sleep(2); // a slow compiler, so that the others race it
                    }
                }
            });
            exports++;
            compiled += out.compiled() ? 1 : 0;
            check(out.module(), want, "export of " + e.hash());
            cache.registry().write(CachePoisoningTest.CPU, e);
            if (exports % 10 == 0) {
                lookups++;
                for (LookupMatch m : cache.registry().lookup(LookupQuery.of("local/churn", CONFIG), p -> fail("lookup skipped " + p))) {
                    if (!byHash.containsKey(m.entry())) {
                        fail("lookup found an entry no process wrote: " + m.entry());
                    }
                    ModuleDir module = cache.module(m.entry());
                    if (module.state() == ModuleState.SUCCESS) {
                        check(module, artifact(m.entry()), "lookup hit " + m.entry());
                    }
                }
            }
            if (exports % 25 == 0) {
                try {
                    CacheRoot.at(root).cleanup(CleanupOptions.defaults());
                } catch (CacheException busy) {
                    // another process is compiling: cleanup refuses, as it must
                }
            }
        }
        System.out.println("ok exports=" + exports + " compiled=" + compiled + " lookups=" + lookups);
    }

    private static void check(ModuleDir module, byte[] want, String what) throws Exception {
        if (module.state() != ModuleState.SUCCESS) {
            fail(what + ": module " + module.name() + " is " + module.state().label());
        }
        if (!Arrays.equals(want, Files.readAllBytes(module.path().resolve("model.cpu")))) {
            fail(what + ": module " + module.name() + " holds another artifact");
        }
    }

    private static void fail(String why) {
        System.out.println("BAD " + why);
        System.exit(1);
    }
}
