package io.jneuron.neuron.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The documented {@code neuronx-cc compile} options that decide what a compile produces (spec neuron-runtime §3.1).
 * {@link #flags()} is both what the compiler is given and what {@code compile_flags.json} records, so it is also what
 * the MODULE folder's {@code +<flags hash>} covers. Input, {@code --framework}, {@code --output} and {@code --logfile}
 * are per-run and not part of it. {@code parse(toString())} round-trips.
 *
 * @param target {@code inf2}, {@code trn1}, {@code trn1n} or {@code trn2}; in the flags so NEFFs for different
 *     targets never share a module (libneuronxla passes the target beside the flags; our choice, spec §3.3 "Java
 *     recommendation")
 * @param modelType {@code generic}, {@code transformer} or {@code unet-inference}
 * @param autoCast {@code none}, {@code matmult} or {@code all} (optimum's {@code matmul} is renamed, as optimum does)
 * @param autoCastType {@code bf16}, {@code fp16}, {@code tf32} or {@code fp8_e4m3}; null when auto-cast is none,
 *     since the compiler then ignores it and optimum does not pass it
 * @param optlevel 1, 2 or 3
 * @param lnc logical NeuronCore size, 1 or 2 (2 only on trn2, else error EARG001), or 0 to leave the compiler default
 * @param extra further flags passed verbatim after the documented ones, e.g. {@code --enable-saturate-infinity}
 */
public record NeuronxccFlags(String target, String modelType, String autoCast, String autoCastType, int optlevel,
                             int lnc, List<String> extra) {
    public static final Set<String> TARGETS = Set.of("inf2", "trn1", "trn1n", "trn2");
    public static final Set<String> MODEL_TYPES = Set.of("generic", "transformer", "unet-inference");
    public static final Set<String> AUTO_CASTS = Set.of("none", "matmult", "all");
    public static final Set<String> AUTO_CAST_TYPES = Set.of("bf16", "fp16", "tf32", "fp8_e4m3");

    public NeuronxccFlags {
        target = oneOf("--target", target, TARGETS, "the instance family you will run on");
        modelType = oneOf("--model-type", modelType, MODEL_TYPES, "transformer for decoders and encoders");
        autoCast = oneOf("--auto-cast", "matmul".equals(autoCast) ? "matmult" : autoCast, AUTO_CASTS, "none keeps fp32");
        autoCastType = autoCast.equals("none") ? null
                : oneOf("--auto-cast-type", autoCastType == null ? "bf16" : autoCastType, AUTO_CAST_TYPES, "bf16");
        if (optlevel < 1 || optlevel > 3) {
            throw bad("--optlevel", String.valueOf(optlevel), "1, 2 or 3 (2 is the compiler's default)");
        }
        if (lnc < 0 || lnc > 2 || (lnc == 2 && !target.equals("trn2"))) {
            throw bad("--lnc", lnc + " for target " + target, "1 or 2, and 2 only on trn2 (neuronx-cc error EARG001)");
        }
        extra = List.copyOf(Objects.requireNonNull(extra, "extra"));
        for (String f : extra) {
            if (!f.startsWith("-") || f.isBlank() || f.chars().anyMatch(Character::isWhitespace)) {
                throw bad("extra flag", f, "one option per item, starting with '-' and without spaces (--name=value)");
            }
        }
    }

    /** The defaults transformers-neuronx and NxD pass: {@code --model-type=transformer --auto-cast=none}, -O2. */
    public static NeuronxccFlags of(String target) {
        return new NeuronxccFlags(target, "transformer", "none", null, 2, 0, List.of());
    }

    public NeuronxccFlags withAutoCast(String cast, String type) {
        return new NeuronxccFlags(target, modelType, cast, type, optlevel, lnc, extra);
    }

    public NeuronxccFlags withOptlevel(int level) {
        return new NeuronxccFlags(target, modelType, autoCast, autoCastType, level, lnc, extra);
    }

    public NeuronxccFlags withModelType(String type) {
        return new NeuronxccFlags(target, type, autoCast, autoCastType, optlevel, lnc, extra);
    }

    public NeuronxccFlags withLnc(int n) {
        return new NeuronxccFlags(target, modelType, autoCast, autoCastType, optlevel, n, extra);
    }

    public NeuronxccFlags withExtra(List<String> flags) {
        return new NeuronxccFlags(target, modelType, autoCast, autoCastType, optlevel, lnc, flags);
    }

    /** The flag list, {@code --name=value} each, in a fixed order so equal options give one flags hash. */
    public List<String> flags() {
        List<String> out = new ArrayList<>();
        out.add("--target=" + target);
        out.add("--model-type=" + modelType);
        out.add("--auto-cast=" + autoCast);
        if (autoCastType != null) {
            out.add("--auto-cast-type=" + autoCastType);
        }
        out.add("--optlevel=" + optlevel);
        if (lnc > 0) {
            out.add("--lnc=" + lnc);
        }
        out.addAll(extra);
        return out;
    }

    /**
     * Reads a flag string as a user writes it ({@code --target trn1 -O3 --auto-cast=all}); {@code --name value},
     * {@code --name=value}, {@code -O3} and {@code -O 3} are all accepted, unknown flags go to {@link #extra}.
     */
    public static NeuronxccFlags parse(String text) {
        String[] t = text == null ? new String[0] : text.trim().split("\\s+");
        String target = null;
        String modelType = "transformer";
        String cast = "none";
        String castType = null;
        int opt = 2;
        int lnc = 0;
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < t.length; i++) {
            String tok = t[i];
            if (tok.isEmpty()) {
                continue;
            }
            String name = tok.contains("=") ? tok.substring(0, tok.indexOf('=')) : tok;
            if (name.startsWith("-O") && name.length() > 2 && !tok.contains("=")) {
                opt = number("-O", name.substring(2));
                continue;
            }
            boolean known = Set.of("--target", "--model-type", "--auto-cast", "--auto-cast-type", "--optlevel", "-O",
                    "--lnc", "-lnc", "--logical-nc-config").contains(name);
            if (!known) {
                extra.add(tok);
                continue;
            }
            String value = tok.contains("=") ? tok.substring(tok.indexOf('=') + 1) : (++i < t.length ? t[i] : null);
            if (value == null) {
                throw bad(name, "(missing)", "a value after " + name);
            }
            switch (name) {
                case "--target" -> target = value;
                case "--model-type" -> modelType = value;
                case "--auto-cast" -> cast = value;
                case "--auto-cast-type" -> castType = value; // the right-most occurrence wins, as in neuronx-cc
                case "--optlevel", "-O" -> opt = number(name, value);
                default -> lnc = number(name, value);
            }
        }
        if (target == null) {
            throw bad("--target", "(missing) in '" + text + "'", "one of " + new java.util.TreeSet<>(TARGETS));
        }
        return new NeuronxccFlags(target, modelType, cast, castType, opt, lnc, extra);
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw bad(flag, value, "a number");
        }
    }

    private static String oneOf(String flag, String value, Set<String> allowed, String hint) {
        if (value == null || !allowed.contains(value)) {
            throw bad(flag, String.valueOf(value), "one of " + new java.util.TreeSet<>(allowed) + " (" + hint + ")");
        }
        return value;
    }

    private static CompileException bad(String flag, String value, String expected) {
        return new CompileException("neuronx-cc option " + flag + " " + value + " is not valid; use " + expected, null);
    }

    @Override
    public String toString() {
        return String.join(" ", flags());
    }
}
