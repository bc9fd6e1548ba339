package io.jneuron.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ordinary Java a notebook user writes: none of it may be an "internal error", and the kernel lives on. */
class OrdinaryJavaTest {
    static NeuronKernel kernel;

    @BeforeAll
    static void start() {
        kernel = NeuronKernel.create();
        kernel.onStartup();
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    static String text(DisplayData d) {
        return d == null ? null : (String) d.getData(MIMEType.TEXT_PLAIN);
    }

    @Test
    void nullValuesAreValuesNotErrors() {
        assertNull(kernel.eval("String s = null;"));
        assertNull(kernel.eval("String t;"));
        assertEquals("null", text(kernel.eval("t")));
        assertEquals("null", text(kernel.eval("System.getenv(\"JNEURON_NO_SUCH_VARIABLE\")")));
        assertNull(kernel.eval("var m = new java.util.HashMap<String, String>();"));
        assertEquals("null", text(kernel.eval("m.get(\"k\")")));
        assertEquals("null", text(kernel.eval("Object o = null;\no")));
        assertEquals("true", text(kernel.eval("s == null")));
    }

    @Test
    void voidMethodsAndDeclarationsAreQuiet() {
        assertNull(kernel.eval("void hello() { System.out.print(\"\"); }"));
        assertNull(kernel.eval("hello()"));
        assertNull(kernel.eval("hello();"));
        assertNull(kernel.eval("int[] a;"));
        assertNull(kernel.eval("class Point { int x; }"));
    }

    @Test
    void exceptionsShowTheUsersFramesOnly() {
        kernel.eval("int divide(int a, int b) { return a / b; }");
        CellError e = assertThrows(CellError.class, () -> kernel.eval("divide(1, 0)"));
        assertEquals("java.lang.ArithmeticException: / by zero", e.getMessage());
        assertTrue(e.detail().stream().anyMatch(l -> l.contains("at divide")), e.detail().toString());
        assertTrue(e.detail().stream().noneMatch(l -> l.contains("jdk.") || l.contains("io.jneuron")), e.detail().toString());
        CellError npe = assertThrows(CellError.class, () -> kernel.eval("String u = null; u.length()"));
        assertTrue(npe.getMessage().startsWith("java.lang.NullPointerException"), npe.getMessage());
    }

    @Test
    void exitIsRefusedAndTheKernelLives() {
        for (String cell : List.of("System.exit(0);", "Runtime.getRuntime().exit(3);", "Runtime.getRuntime().halt(1);",
                "java.util.function.IntConsumer q = System::exit; q.accept(0);",
                "void quit() { System.exit(2); }\nquit();")) {
            CellError e = assertThrows(CellError.class, () -> kernel.eval(cell), cell);
            assertTrue(e.getMessage().contains("is refused in a notebook"), e.getMessage());
        }
        assertEquals("2", text(kernel.eval("1+1")));
    }

    @Test
    void bigStringsAndOutOfMemoryLeaveTheKernelAlive() {
        assertEquals("10000000", text(kernel.eval("String big = \"x\".repeat(10_000_000);\nbig.length()")));
        // 16 GB in one array: over any test heap, refused at once without filling memory the other threads need.
        CellError oom = assertThrows(CellError.class, () -> kernel.eval("long[] hog = new long[2_000_000_000];"));
        assertTrue(oom.getMessage().startsWith("java.lang.OutOfMemoryError"), oom.getMessage());
        assertEquals("3", text(kernel.eval("1+2")));
    }
}
