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
            return null;
        }
        String key = KEY_PREFIX + next.incrementAndGet();
        values.put(key, result);
        return key;
    }

    /** The object behind a value key, removed from the store; null for anything else. */
    Object take(String key) {
        return key != null && key.startsWith(KEY_PREFIX) ? values.remove(key) : null;
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
