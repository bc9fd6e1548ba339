package io.jneuron.magics;

import io.jneuron.core.report.Render;
import io.jneuron.core.report.Report;
import io.jneuron.core.report.Table;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReportRendererTest {
    @Test
    void anyReportRendersAsItsHtmlAndText() {
        Renderer renderer = new Renderer();
        NeuronExtension.registerRenderer(renderer);
        Report r = Report.of("model <b>", Table.of(List.of("name"), List.of(List.of("<script>"))));
        DisplayData d = renderer.render(r);
        assertEquals(Render.html(r), d.getData(MIMEType.TEXT_HTML));
        assertEquals("model <b>\nname\n<script>", d.getData(MIMEType.TEXT_PLAIN));
        // A Table is a Report too, so a cell whose value is a bare table renders the same way.
        assertEquals(Render.html(r.table()), renderer.render(r.table()).getData(MIMEType.TEXT_HTML));
    }

    @Test
    void extensionIsFoundByServiceLoader() {
        List<String> found = ServiceLoader.load(Extension.class).stream().map(p -> p.type().getName()).toList();
        assertEquals(List.of(NeuronExtension.class.getName()), found);
    }
}
