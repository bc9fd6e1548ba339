package io.jneuron.kernel;

import io.jneuron.kernel.magic.MagicCatalog;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.magic.UndefinedMagicException;

import java.lang.reflect.Modifier;
import java.util.List;

/**
 * Runs a {@link CellPlan}: Java through JShell, magics through the registry on the cell worker (so they can be
 * interrupted), with help, {@code --version} and argument expansion handled here for every magic alike.
 * The last step's value is the cell's; a magic's value earlier in the cell is displayed where it ran.
 */
final class CellRunner {
    private final BaseKernel kernel;
    private final JShellEvaluator evaluator;
    private final MagicsRegistry registry;
    private final MagicCatalog catalog;
    private final ArgExpander expander;

    CellRunner(BaseKernel kernel, JShellEvaluator evaluator, MagicsRegistry registry, MagicCatalog catalog) {
        this.kernel = kernel;
        this.evaluator = evaluator;
        this.registry = registry;
        this.catalog = catalog;
        this.expander = new ArgExpander(evaluator::isVariable, expr -> String.valueOf(evaluator.eval(expr)));
    }

    Object run(String cell) {
        List<CellPlan.Step> steps = CellPlan.parse(cell, evaluator::isComplete).steps();
        Object last = null;
        for (int i = 0; i < steps.size(); i++) {
            CellPlan.Step s = steps.get(i);
            if (s instanceof CellPlan.Java j) {
                last = evaluator.eval(j.code());
            } else if (s instanceof CellPlan.LineMagic m) {
                last = magic(m.name(), m.args(), null);
            } else if (s instanceof CellPlan.CellMagic m) {
                last = magic(m.name(), m.args(), m.body());
            } else if (s instanceof CellPlan.Assign a) {
                last = assign(a);
            }
            if (i < steps.size() - 1 && !(s instanceof CellPlan.Java) && last != null) {
                show(last);
            }
        }
        return last;
    }

    private Object magic(String name, String rawArgs, String body) {
        boolean cell = body != null;
        if (name.endsWith("?")) {
            return help(name.substring(0, name.length() - 1), cell, List.of());
        }
        List<String> args = CellPlan.split(expander.expand(rawArgs));
        int dashes = args.indexOf("--");
        List<String> options = dashes < 0 ? args : args.subList(0, dashes);
        if (options.contains("--help") || options.contains("-h")) {
            return help(name, cell, options);
        }
        if (options.contains("--version") || options.contains("-V")) {
            known(name, cell);
            return new DisplayData(MagicCatalog.version());
        }
        try {
            return evaluator.worker().run(() -> cell ? registry.evalCellMagic(kernel, name, args, body)
                    : registry.evalLineMagic(kernel, name, args));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CellError((cell ? "%%" : "%") + name + " failed: " + e, List.of());
        }
    }

    /** Help from the magic's spec; a magic without one is asked for its own --help. */
    private Object help(String name, boolean cell, List<String> args) {
        known(name, cell);
        return catalog.help(name, cell, args).<Object>map(DisplayData::new).orElseGet(() -> {
            try {
                return evaluator.worker().run(() -> cell ? registry.evalCellMagic(kernel, name, List.of("--help"), "")
                        : registry.evalLineMagic(kernel, name, List.of("--help")));
            } catch (Exception e) {
                return new DisplayData((cell ? "%%" : "%") + name + ": this magic has no usage text of its own");
            }
        });
    }

    private void known(String name, boolean cell) {
        if (!(cell ? registry.getCellMagicNames() : registry.getLineMagicNames()).contains(name)) {
            throw new UndefinedMagicException(name, !cell);
        }
    }

    /** {@code TARGET = %magic args}: the magic's result, typed as its most specific public class. */
    private Object assign(CellPlan.Assign a) {
        Object value = magic(a.name(), a.args(), null);
        String key = MagicValues.put(value);
        try {
            evaluator.eval(a.target() + " (" + publicType(value) + ") " + MagicValues.class.getName() + ".take(\""
                    + key + "\");");
        } finally {
            MagicValues.take(key);
        }
        return null;
    }

    static String publicType(Object value) {
        for (Class<?> c = value == null ? Object.class : value.getClass(); c != null; c = c.getSuperclass()) {
            if (reachable(c)) {
                return c.getCanonicalName();
            }
        }
        return "Object";
    }

    /** Whether a snippet can name {@code c}: public, and every class around it public too. */
    private static boolean reachable(Class<?> c) {
        if (c.getCanonicalName() == null) {
            return false;
        }
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private void show(Object value) {
        if (kernel.getIO().display.isAttached()) {
            kernel.display(value instanceof DisplayData d ? d : kernel.getRenderer().render(value));
        }
    }
}
