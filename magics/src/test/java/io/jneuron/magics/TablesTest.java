package io.jneuron.magics;

import io.jneuron.magics.render.Tables;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TablesTest {
    @Test
    void htmlEscapesEveryCellAndTheHeadline() {
        DisplayData d = Tables.display("model <b>", Tables.of("t", List.of("name", "path"),
                List.of(Arrays.asList("<script>", null))));
        String html = (String) d.getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("<table class=\"jneuron-table\""), html);
        assertTrue(html.contains("&lt;script&gt;"), html);
        assertTrue(html.contains("model &lt;b&gt;"), html);
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("overflow-wrap:anywhere\">-</td>"), html);
        assertTrue(((String) d.getData(MIMEType.TEXT_PLAIN)).startsWith("model <b>"));
    }

    @Test
    void emptyTablesSaySo() {
        assertEquals("t\n(no rows)", Tables.text(Tables.of("t", List.of("a"), List.of())));
    }

    @Test
    void extensionIsFoundByServiceLoader() {
        List<String> found = ServiceLoader.load(Extension.class).stream().map(p -> p.type().getName()).toList();
        assertEquals(List.of(NeuronExtension.class.getName()), found);
    }
}
