package io.jneuron.neuron;

import io.jneuron.neuron.neff.IoManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The binding end to end against the stand-in libnrt: load, tensor info, write, execute, read. */
class NeuronRuntimeTest {
    @TempDir
    Path dir;

    @Test
    void loadsTheStandInAndReportsVersionAndCores() {
        try (NeuronRuntime rt = StandIn.open(Map.of("NRT_STANDIN_VERSION", "2.21.3.0"))) {
            assertTrue(rt.libraryPath().endsWith("standin/libnrt.so.1"), rt.libraryPath());
            assertEquals("2.21.3.0", rt.version().toString());
            assertEquals("standin", rt.version().gitHash());
            assertEquals(Dtype.Numbering.LEGACY, rt.dtypeNumbering());
            assertEquals(2, rt.totalCores());
            assertEquals(2, rt.visibleCores());
        }
    }

    @Test
    void visibleCoresAreSetBeforeInit() {
        try (NeuronRuntime rt = StandIn.open(Map.of("NEURON_RT_VISIBLE_CORES", "1", "NRT_STANDIN_TOTAL_CORES", "4"))) {
            assertEquals(4, rt.totalCores());
            assertEquals(1, rt.visibleCores());
        }
    }

    @Test
    void executesAddFromAMemoryMappedNeffAndReadsTheSum() throws Exception {
        Path neff = StandIn.neff(dir, "add", StandIn.ADD);
        try (NeuronRuntime rt = StandIn.open();
             NeuronModel model = rt.load(neff, 0);
             ModelIo io = model.newIo(Placement.DEVICE)) {
            List<TensorInfo> info = model.tensorInfo();
            assertEquals(List.of("a", "b", "out"), info.stream().map(TensorInfo::name).toList());
            TensorInfo a = info.get(0);
            assertEquals(TensorInfo.Usage.INPUT, a.usage());
            assertEquals(24, a.size());
            assertEquals(List.of(2L, 3L), a.shape());
            assertEquals(1, a.dtypeCode());
            assertEquals(Dtype.FLOAT32, a.dtype());
            assertEquals(4, a.elementSize());
            assertEquals(TensorInfo.Usage.OUTPUT, info.get(2).usage());

            io.tensor("a").writeFloats(new float[] {1, 2, 3, 4, 5, 6});
            io.tensor("b").writeFloats(new float[] {10, 20, 30, 40, 50, 60});
            io.execute();
            assertArrayEquals(new float[] {11, 22, 33, 44, 55, 66}, io.tensor("out").readFloats());
            assertEquals(24, io.tensor("out").nativeSize());
            assertTrue(io.inputs().nativeContains("a"));
            assertFalse(io.inputs().nativeContains("out"));
        }
    }

    @Test
    void attachedDirectBuffersAreReadAndWrittenWithoutCopies() throws Exception {
        byte[] neff = Files.readAllBytes(StandIn.neff(dir, "sum", StandIn.SUM));
        try (NeuronRuntime rt = StandIn.open()) {
            NeuronModel model = rt.load(neff, "sum", -1);
            ByteBuffer v = ByteBuffer.allocateDirect(20).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer total = ByteBuffer.allocateDirect(4).order(ByteOrder.LITTLE_ENDIAN);
            NeuronTensor tv = rt.wrapTensor("v", v);
            NeuronTensor tt = rt.wrapTensor("total", total);
            assertEquals(Placement.VIRTUAL, tv.placement());
            TensorSet in = rt.newTensorSet().put("v", tv);
            TensorSet out = rt.newTensorSet().put("total", tt);
            for (int round = 1; round <= 3; round++) {
                for (int i = 0; i < 5; i++) {
                    v.putInt(i * 4, i * round);   // straight into the tensor's memory
                }
                model.execute(in, out);
                assertEquals(10 * round, total.getInt(0));
            }
            assertEquals(5, rt.openHandles());   // 2 tensors, 2 sets, 1 model
        }   // the runtime closes sets, tensors and the model in order
    }

    @Test
    void hardwareNumberingIsChosenByVersionAndDtypeNamesStayRight() throws Exception {
        Path neff = StandIn.neff(dir, "id", StandIn.IDENTITY_BF16);
        try (NeuronRuntime rt = StandIn.open(Map.of("NRT_STANDIN_DTYPES", "hardware", "NRT_STANDIN_VERSION", "2.31.24.0"));
             NeuronModel model = rt.load(neff, 0)) {
            assertEquals(Dtype.Numbering.HARDWARE, rt.dtypeNumbering());
            TensorInfo x = model.tensorInfo().get(0);
            assertEquals(0x6, x.dtypeCode());
            assertEquals(Dtype.BFLOAT16, x.dtype());
            assertEquals(2, x.elementSize());
        }
    }

    @Test
    void aTableThatContradictsTheElementSizeIsCorrectedBySize() throws Exception {
        // An old version number but new codes: float32 arrives as 0xA, legacy INT64 (8 bytes) cannot be a 4-byte element.
        Path neff = StandIn.neff(dir, "add", StandIn.ADD);
        try (NeuronRuntime rt = StandIn.open(Map.of("NRT_STANDIN_DTYPES", "hardware"));
             NeuronModel model = rt.load(neff, 0)) {
            assertEquals(Dtype.Numbering.LEGACY, rt.dtypeNumbering());
            assertEquals(0xA, model.tensorInfo().get(0).dtypeCode());
            assertEquals(Dtype.FLOAT32, model.tensorInfo().get(0).dtype());
        }
    }

    @Test
    void theIoManifestIsCheckedAtLoad() throws Exception {
        Path neff = StandIn.neff(dir, "add", StandIn.ADD);
        try (NeuronRuntime rt = StandIn.open()) {
            try (NeuronModel m = rt.load(neff, 0)) {
                IoManifest.of(m.tensorInfo()).writeBeside(neff);
            }
            rt.load(neff, 0).close();   // matches
            Files.writeString(IoManifest.sidecarOf(neff), Files.readString(IoManifest.sidecarOf(neff))
                    .replace("\"name\" : \"b\"", "\"name\" : \"bias\""));
            IoManifest.MismatchException e = assertThrows(IoManifest.MismatchException.class, () -> rt.load(neff, 0));
            assertEquals(neff + " does not match its I/O manifest add.neff.io.json: 'bias' is in the manifest but not in "
                    + "the NEFF; 'b' is in the NEFF but not in the manifest. Re-export the model, or delete the manifest "
                    + "if the NEFF is right", e.getMessage());
            assertEquals(0, rt.openHandles());   // the mismatching model was unloaded again
        }
    }

    @Test
    void useAfterCloseIsAnExceptionNeverACrash() throws Exception {
        Path neff = StandIn.neff(dir, "add", StandIn.ADD);
        NeuronRuntime rt = StandIn.open();
        NeuronModel model = rt.load(neff, 0);
        ModelIo io = model.newIo(Placement.DEVICE);
        io.tensor("a").close();
        IllegalStateException e = assertThrows(IllegalStateException.class, io::execute);
        assertEquals("tensor 'a' in the input set is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> io.tensor("a").writeFloats(new float[6]));
        model.close();
        model.close();   // idempotent
        assertEquals("model 'add.neff' is closed", assertThrows(IllegalStateException.class, io::execute).getMessage());
        rt.close();
        assertTrue(io.tensor("b").isClosed());
        assertEquals("the NeuronRuntime is closed",
                assertThrows(IllegalStateException.class, () -> io.tensor("b").readBytes()).getMessage());
        assertThrows(IllegalStateException.class, rt::newTensorSet);
        io.close();   // closing after the runtime is harmless
    }

    @Test
    void onlyOneRuntimeIsOpenAtATime() {
        try (NeuronRuntime rt = StandIn.open()) {
            assertTrue(rt.isOpen());
            IllegalStateException e = assertThrows(IllegalStateException.class, StandIn::open);
            assertTrue(e.getMessage().startsWith("a NeuronRuntime is already open in this process"), e.getMessage());
        }
        StandIn.open().close();   // the slot is free again
    }

    @Test
    void badArgumentsAreRefusedInJava() {
        try (NeuronRuntime rt = StandIn.open(); NeuronTensor t = rt.allocateTensor("t", 8, Placement.DEVICE, 0)) {
            assertThrows(IllegalArgumentException.class, () -> rt.wrapTensor("heap", ByteBuffer.allocate(8)));
            assertThrows(IndexOutOfBoundsException.class, () -> t.write(4, ByteBuffer.allocate(8)));
            assertThrows(IllegalArgumentException.class, () -> rt.load(ByteBuffer.allocate(8), "heap", 0));
            t.write(0, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}).asReadOnlyBuffer());
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, t.readBytes());
        }
    }
}
