package io.jneuron.neuron;

import io.jneuron.core.NeuronKernelException;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the Neuron backend looks for its library and devices, read once from {@code neuron.kernel.*}
 * system properties or {@code NEURON_KERNEL_*} variables (properties win), like core's Settings.
 *
 * @param nrtLibrary    explicit libnrt path ({@code nrt_library}), or null to search
 * @param devRoot       where {@code neuron<N>} device nodes live ({@code dev_root}, default /dev)
 * @param sysRoot       the sysfs root for core counts ({@code sys_root}, default /sys)
 * @param dtypeNumbering {@code auto}, {@code legacy} or {@code hardware} ({@code nrt_dtypes}); see {@link Dtype}
 */
public record NeuronConfig(Path nrtLibrary, Path devRoot, Path sysRoot, String dtypeNumbering) {
    /** The install path tried after the override and before the loader's search path. */
    public static final String INSTALL_PATH = "/opt/aws/neuron/lib/libnrt.so.1";

    public NeuronConfig {
        devRoot = devRoot == null ? Path.of("/dev") : devRoot;
        sysRoot = sysRoot == null ? Path.of("/sys") : sysRoot;
        dtypeNumbering = dtypeNumbering == null ? "auto" : dtypeNumbering.toLowerCase(Locale.ROOT);
        if (!dtypeNumbering.equals("auto") && !dtypeNumbering.equals("legacy") && !dtypeNumbering.equals("hardware")) {
            throw new NeuronKernelException("neuron.kernel.nrt_dtypes / NEURON_KERNEL_NRT_DTYPES must be auto, legacy or "
                    + "hardware, got '" + dtypeNumbering + "'");
        }
    }

    public static NeuronConfig fromEnvironment() {
        Map<String, String> props = System.getProperties().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().toString(), e -> e.getValue().toString()));
        return from(props, System.getenv());
    }

    static NeuronConfig from(Map<String, String> props, Map<String, String> env) {
        return new NeuronConfig(path(read(props, env, "nrt_library")), path(read(props, env, "dev_root")),
                path(read(props, env, "sys_root")), read(props, env, "nrt_dtypes"));
    }

    public NeuronConfig withRoots(Path dev, Path sys) {
        return new NeuronConfig(nrtLibrary, dev, sys, dtypeNumbering);
    }

    private static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s.trim());
    }

    private static String read(Map<String, String> props, Map<String, String> env, String key) {
        String p = props.get("neuron.kernel." + key);
        String v = p != null ? p : env.get("NEURON_KERNEL_" + key.toUpperCase(Locale.ROOT));
        return v == null || v.isBlank() ? null : v.trim();
    }
}
