package io.jneuron.core.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The concurrency load of the reliability issue: 4 processes export and look up in one cache for
 * {@code -Djneuron.soak.seconds} (default 60). Each checks every hit byte for byte ({@link CacheChurnMain}); at
 * the end no entry is corrupt, failed or locked and {@code cache verify} passes for every registry file and module.
 */
class SharedCacheProcessesTest {
    @TempDir
    Path tmp;

    @Test
    void fourProcessesExportingAndLookingUpLeaveNoCorruptEntry() throws Exception {
        long seconds = Long.getLong("jneuron.soak.seconds", 60);
        Path root = tmp.resolve("cache");
        List<Process> procs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            procs.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), CacheChurnMain.class.getName(),
                    root.toString(), Long.toString(seconds), Integer.toString(i)).redirectErrorStream(true).start());
        }
        long exports = 0;
        for (Process p : procs) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(p.waitFor(seconds + 60, TimeUnit.SECONDS), "a process hung");
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.startsWith("ok exports="), out);
            exports += Long.parseLong(out.replaceAll(".*exports=(\\d+).*", "$1"));
        }
        CacheStatus.Compiler cpu = CacheRoot.at(root).status(Map.of()).compilers().get(0);
        assertEquals(0L, cpu.counts().get(ModuleState.CORRUPT) + cpu.counts().get(ModuleState.FAILED)
                + cpu.counts().get(ModuleState.LOCKED), cpu.counts().toString());
        List<VerifyResult> verify = CacheRoot.at(root).verify();
        assertEquals(List.of(), verify.stream().filter(r -> !r.ok()).toList());
        long modules = cpu.counts().get(ModuleState.SUCCESS);
        assertTrue(modules > 0 && exports > modules, "the processes compiled and shared modules: " + modules);
        long moduleResults = verify.stream().filter(r -> r.path().contains("/MODULE_")).count();
        assertEquals(modules, moduleResults, "every compiled module re-hashed by verify");
        assertTrue(verify.size() - moduleResults >= modules, "every export registered: " + verify.size());
        System.out.printf("shared cache %d s: %d exports by 4 processes, %d registry files and modules verified%n",
                seconds, exports, verify.size());
    }
}
