package io.jneuron.neuron.compiler;

import io.jneuron.core.cache.CompilerId;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version {@code neuronx-cc --version} reports, e.g. {@code 2.21.33363.0+82129205} (spec neuron-runtime §3.2:
 * {@code MAJOR.MINOR.PATCH.BUILD+<git hash>}). The full string, hash included, names the compile cache folder
 * {@code neuronxcc-<full>} as libneuronxla names it.
 *
 * @param hash the git hash after {@code +}, or null when the compiler printed none (Python package metadata does that)
 */
public record NeuronxccVersion(int major, int minor, int patch, long build, String hash) {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)(?:\\+([0-9a-f]+))?");
    /** The first line of the output names the compiler; the Python, HWM and NumPy lines that follow also hold versions. */
    private static final Pattern BANNER = Pattern.compile("NeuronX Compiler version (\\S+)");

    /** Parses a bare version, {@code 2.21.33363.0+82129205}. */
    public static NeuronxccVersion parse(String version) {
        Matcher m = VERSION.matcher(version == null ? "" : version.trim());
        if (!m.matches()) {
            throw new CompileException("'" + version + "' is not a neuronx-cc version (expected MAJOR.MINOR.PATCH.BUILD"
                    + "+HASH, e.g. 2.21.33363.0+82129205)", null);
        }
        return new NeuronxccVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), Long.parseLong(m.group(4)), m.group(5));
    }

    /** Finds the {@code NeuronX Compiler version …} line in the whole output of {@code neuronx-cc --version}. */
    public static NeuronxccVersion fromVersionOutput(String output, String command) {
        Matcher m = BANNER.matcher(output == null ? "" : output);
        if (!m.find()) {
            String first = output == null || output.isBlank() ? "(nothing)" : output.strip().lines().findFirst().orElse("");
            throw new CompileException("`" + command + " --version` printed " + first + ", not 'NeuronX Compiler version "
                    + "…'; point neuron.kernel.neuronx_cc (NEURON_KERNEL_NEURONX_CC) at a real neuronx-cc", null);
        }
        return parse(m.group(1));
    }

    /** The cache's compiler id, {@code neuronxcc-<full version>}. */
    public CompilerId compilerId() {
        return new CompilerId(CompilerId.NEURONXCC, toString());
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + "." + build + (hash == null ? "" : "+" + hash);
    }
}
