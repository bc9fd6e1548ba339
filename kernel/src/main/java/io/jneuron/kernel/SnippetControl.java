package io.jneuron.kernel;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs snippets in the kernel JVM (so magics and user code share objects) and keeps each snippet's
 * result object: JShell only passes a value string back, so the string is a key into {@link #take}.
 * Snippet bodies run on a {@link CellWorker}, which is what makes them interruptible.
 */
final class SnippetControl extends DirectExecutionControl {
    static final String KEY_PREFIX = "\u0000jneuron-value-";
    /**
     * The value string of a snippet whose value is null. JShell needs a non-null string for every
     * value-bearing snippet (it NPEs on null), and the kernel needs to tell null from "no value".
     */
    static final String NULL_KEY = KEY_PREFIX + "null";
    /** What {@link #take} returns for {@link #NULL_KEY}: the snippet's value is null. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();
    private final CellWorker worker;

    SnippetControl() {
        // DefaultLoaderDelegate (built by super()) made JShell's loader this thread's context loader.
        this.worker = new CellWorker(Thread.currentThread().getContextClassLoader());
    }

    CellWorker worker() {
        return worker;
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Object result;
        try {
            result = worker.run(() -> doitMethod.invoke(null));
        } catch (CellWorker.Interrupted e) {
            // Reaches the evaluator as an EvalException naming this class.
            throw new InvocationTargetException(e);
        }
        if (result == null) {
            return NULL_KEY;
        }
        String key = KEY_PREFIX + next.incrementAndGet();
        values.put(key, result);
        return key;
    }

    /** The object behind a value key, removed from the store ({@link #NULL} for a null value); null for anything else. */
    Object take(String key) {
        if (NULL_KEY.equals(key)) {
            return NULL;
        }
        return key != null && key.startsWith(KEY_PREFIX) ? values.remove(key) : null;
    }

    /** Snippet classes are rewritten so that a cell cannot end the kernel's JVM (see {@link ExitGuard}). */
    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        ClassBytecodes[] guarded = new ClassBytecodes[cbcs.length];
        for (int i = 0; i < cbcs.length; i++) {
            guarded[i] = new ClassBytecodes(cbcs[i].name(), ExitGuard.rewrite(cbcs[i].bytecodes()));
        }
        super.load(guarded);
    }


    /** Drops objects no cell will render, so they can be collected. */
    void clearValues() {
        values.clear();
    }

    @Override
    public void close() {
        worker.shutdown();
        super.close();
    }

    /** Hands JShell the one control the kernel made, so the kernel can reach it. */
    static final class Provider implements ExecutionControlProvider {
        private SnippetControl control;

        @Override
        public String name() {
            return "jneuron-direct";
        }

        @Override
        public synchronized ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            control = new SnippetControl();
            return control;
        }

        synchronized SnippetControl control() {
            return control;
        }
    }
}
