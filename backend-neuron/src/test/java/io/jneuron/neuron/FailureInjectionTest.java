package io.jneuron.neuron;

import io.jneuron.core.NeuronKernelException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every injected or provoked failure surfaces as its typed exception, and the JVM carries on. */
class FailureInjectionTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        StandIn.inject(null);
    }

    private static <T extends NativeException> T expect(Class<T> type, String name, int code, Executable call) {
        T e = assertThrows(type, call);
        assertEquals(name, e.statusName());
        assertEquals(code, e.code());
        return e;
    }

    @Test
    void injectedExecuteFailuresAreRetryable() throws Exception {
        try (NeuronRuntime rt = StandIn.open(); NeuronModel m = rt.load(StandIn.neff(dir, "add", StandIn.ADD), 0);
             ModelIo io = m.newIo(Placement.DEVICE)) {
            StandIn.inject("execute=5");
            NativeException.Retryable e = expect(NativeException.Retryable.class, "NRT_TIMEOUT", 5, io::execute);
            // the stand-in has nrt_get_status_as_str, so the runtime's own words are used
            assertEquals("nrt_execute failed for model 'add.neff': NRT_TIMEOUT (5): execution timed out (stand-in)",
                    e.getMessage());
            assertEquals(NrtStatus.TIMEOUT, e.status());
            StandIn.inject("execute=7");
            expect(NativeException.Retryable.class, "NRT_QUEUE_FULL", 7, io::execute);
            StandIn.inject("execute=1005");
            expect(NativeException.Retryable.class, "NRT_EXEC_NC_BUSY", 1005, io::execute);
            StandIn.inject(null);
            io.tensor("a").writeFloats(new float[] {1, 1, 1, 1, 1, 1});
            io.execute();   // and the model still works
            assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, io.tensor("out").readFloats());
        }
    }

    @Test
    void badInputsAreBadInput() throws Exception {
        try (NeuronRuntime rt = StandIn.open(); NeuronModel m = rt.load(StandIn.neff(dir, "add", StandIn.ADD), 0);
             NeuronTensor a = rt.allocateTensor("a", 24, Placement.DEVICE, 0);
             NeuronTensor small = rt.allocateTensor("b", 20, Placement.DEVICE, 0);
             NeuronTensor out = rt.allocateTensor("out", 24, Placement.DEVICE, 0);
             TensorSet in = rt.newTensorSet().put("a", a); TensorSet os = rt.newTensorSet().put("out", out)) {
            NativeException e = expect(NativeException.BadInput.class, "NRT_EXEC_BAD_INPUT", 1002, () -> m.execute(in, os));
            assertEquals("nrt_execute failed for model 'add.neff': NRT_EXEC_BAD_INPUT (1002): bad input: a required "
                    + "input is missing or malformed", e.getMessage());
            in.put("b", small);
            expect(NativeException.BadInput.class, "NRT_INVALID", 2, () -> m.execute(in, os));
            StandIn.inject("execute=1002");
            expect(NativeException.BadInput.class, "NRT_EXEC_BAD_INPUT", 1002, () -> m.execute(in, os));
        }
    }

    @Test
    void aNanResultIsNumeric() throws Exception {
        try (NeuronRuntime rt = StandIn.open(); NeuronModel m = rt.load(StandIn.neff(dir, "add", StandIn.ADD), 0);
             ModelIo io = m.newIo(Placement.HOST)) {
            io.tensor("a").writeFloats(new float[] {Float.NaN, 0, 0, 0, 0, 0});
            expect(NativeException.Numeric.class, "NRT_EXEC_COMPLETED_WITH_NUM_ERR", 1003, io::execute);
        }
    }

    @Test
    void uninitialisedAndClosedAreStateErrors() throws Exception {
        byte[] neff = Files.readAllBytes(StandIn.neff(dir, "add", StandIn.ADD));
        try (NeuronRuntime rt = StandIn.open()) {
            StandIn.inject("load=13");
            expect(NativeException.State.class, "NRT_UNINITIALIZED", 13, () -> rt.load(neff, "add", 0));
            StandIn.inject("execute=14,tensor_allocate=14");
            expect(NativeException.State.class, "NRT_CLOSED", 14, () -> rt.allocateTensor("t", 4, Placement.DEVICE, 0));
            StandIn.inject(null);
            assertEquals(0, rt.openHandles());
        }
        // The raw library after nrt_close, below the Java guards: the runtime's own NRT_CLOSED.
        long[] out = new long[1];
        assertEquals(14, NrtLibrary.nLoadArray(neff, 0, -1, out));
        expect(NativeException.State.class, "NRT_CLOSED", 14,
                () -> NrtLibrary.check(NrtLibrary.nLoadArray(neff, 0, -1, out), "nrt_load", "raw"));
    }

    @Test
    void initFailuresReleaseTheProcessSlot() {
        NativeException e = expect(NativeException.class, "NRT_RESOURCE", 4,
                () -> StandIn.open(Map.of("NRT_STANDIN_FAIL", "init=4")).close());
        assertEquals("nrt_init failed for the process (framework NO_FW): NRT_RESOURCE (4): could not allocate a resource",
                e.getMessage());
        StandIn.open().close();
    }

    @Test
    void malformedCoreVariablesAreRefusedBeforeInit() {
        NeuronKernelException e = assertThrows(NeuronKernelException.class,
                () -> StandIn.open(Map.of("NEURON_RT_VISIBLE_CORES", "0,2")));
        assertEquals("NEURON_RT_VISIBLE_CORES='0,2' is not contiguous (core 1 is skipped or repeated); the runtime needs "
                + "one unbroken range such as 0-2", e.getMessage());
        StandIn.open().close();
    }

    @Test
    void theStandInRejectsWhatTheRuntimeWould() throws Exception {
        try (NeuronRuntime rt = StandIn.open()) {
            // the variables are also checked natively: more visible cores than the machine has
            expect(NativeException.class, "NRT_LOAD_NOT_ENOUGH_NC", 9,
                    () -> rt.load(StandIn.neff(dir, "add", StandIn.ADD), 5));
        }
        assertThrows(NativeException.BadInput.class, () -> StandIn.open(Map.of("NEURON_RT_VISIBLE_CORES", "1-7")));
    }

    @Test
    void unknownCodesPassThroughWithTheirNumber() throws Exception {
        try (NeuronRuntime rt = StandIn.open(); NeuronModel m = rt.load(StandIn.neff(dir, "add", StandIn.ADD), 0);
             ModelIo io = m.newIo(Placement.DEVICE)) {
            StandIn.inject("execute=4242");
            NativeException e = expect(NativeException.class, "NRT_STATUS_4242", 4242, io::execute);
            assertNull(e.status());
        }
    }

    @Test
    void nullHandlesAndHeapBuffersNeverReachTheRuntime() {
        try (NeuronRuntime rt = StandIn.open()) {
            assertEquals(0, rt.openHandles());
            int bad = NrtStatus.JNEURON_BAD_ARGUMENT.code();
            assertEquals(bad, NrtLibrary.nExecute(0, 0, 0));
            assertEquals(bad, NrtLibrary.nUnload(0));
            assertEquals(bad, NrtLibrary.nLoadBuffer(ByteBuffer.allocate(2048), 2048, 0, -1, new long[1]));
            assertEquals(bad, NrtLibrary.nLoadBuffer(ByteBuffer.allocateDirect(16), 2048, 0, -1, new long[1]));
            assertEquals(bad, NrtLibrary.nTensorCopyArray(true, 1, new byte[4], 2, 0, 4));
            assertEquals(bad, NrtLibrary.nTensorInfo(0, new byte[1][]));
            assertEquals(bad, NrtLibrary.nSetAllocate(new long[0]));
            NrtLibrary.nTensorFree(0);
            NrtLibrary.nSetDestroy(0);
        }
    }
}
