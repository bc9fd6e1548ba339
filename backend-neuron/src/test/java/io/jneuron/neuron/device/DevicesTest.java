package io.jneuron.neuron.device;

import io.jneuron.core.NeuronKernelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevicesTest {
    @TempDir
    Path dir;

    @Test
    void scansDeviceNodesAndSysfsCoreCounts() throws IOException {
        Path dev = Files.createDirectories(dir.resolve("dev"));
        Path sys = dir.resolve("sys");
        for (String n : new String[] {"neuron1", "neuron0", "neuron10", "null", "neuronx"}) {
            Files.createFile(dev.resolve(n));
        }
        for (int i : new int[] {0, 1}) {
            Path f = sys.resolve("devices/virtual/neuron_device/neuron" + i + "/core_count");
            Files.createDirectories(f.getParent());
            Files.writeString(f, "2\n");
        }
        NeuronDevices.Inventory inv = NeuronDevices.scan(dev, sys);
        assertEquals(3, inv.devices().size());
        assertEquals(0, inv.devices().get(0).index());
        assertEquals(10, inv.devices().get(2).index());
        assertEquals(-1, inv.devices().get(2).cores());   // no sysfs entry: unknown, not zero
        assertEquals(4, inv.totalCores());
    }

    @Test
    void noDevicesIsSaidPlainly() {
        NeuronDevices.Inventory inv = NeuronDevices.scan(dir, dir);
        assertTrue(inv.isEmpty());
        assertEquals("no " + dir + "/neuron* devices", inv.note());
        assertEquals(dir.resolve("x") + " is not a directory", NeuronDevices.scan(dir.resolve("x"), dir).note());
    }

    @Test
    void parsesVisibleCores() {
        assertEquals(new VisibleCores(3, 1), VisibleCores.parse("3", null));
        assertEquals(new VisibleCores(3, 4), VisibleCores.parse("3-6", "1"));   // the list wins over the count
        assertEquals(new VisibleCores(3, 4), VisibleCores.parse(" 3-5, 6 ", null));
        assertEquals(new VisibleCores(-1, 2), VisibleCores.parse(null, "2"));
        assertEquals(VisibleCores.ALL, VisibleCores.parse("", "0"));
        assertEquals(VisibleCores.ALL, VisibleCores.parse(null, null));
        assertEquals("3-6", VisibleCores.parse("3-6", null).toString());
        assertEquals(4, VisibleCores.parse("3-6", null).claimedOf(8));
        assertEquals(8, VisibleCores.ALL.claimedOf(8));
    }

    @Test
    void refusesMalformedCoreVariables() {
        assertEquals("NEURON_RT_VISIBLE_CORES='0,2' is not contiguous (core 1 is skipped or repeated); the runtime needs "
                + "one unbroken range such as 0-2", assertThrows(NeuronKernelException.class,
                () -> VisibleCores.parse("0,2", null)).getMessage());
        assertEquals("NEURON_RT_VISIBLE_CORES='a-b' is malformed at 'a-b'; use a core (3), a range (3-6) or a list of "
                + "ranges (3-5,6)", assertThrows(NeuronKernelException.class, () -> VisibleCores.parse("a-b", null)).getMessage());
        assertEquals("NEURON_RT_VISIBLE_CORES='5-3' has an empty or negative range '5-3'",
                assertThrows(NeuronKernelException.class, () -> VisibleCores.parse("5-3", null)).getMessage());
        assertEquals("NEURON_RT_NUM_CORES='-1' is not a core count; use a whole number >= 0",
                assertThrows(NeuronKernelException.class, () -> VisibleCores.parse(null, "-1")).getMessage());
        assertEquals("asked for cores up to 6 but the machine has 2 NeuronCores (0-1); check NEURON_RT_VISIBLE_CORES / "
                + "NEURON_RT_NUM_CORES", assertThrows(NeuronKernelException.class,
                () -> VisibleCores.parse("3-6", null).claimedOf(2)).getMessage());
    }
}
