package io.jneuron.magics.render;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Color;
import java.awt.Rectangle;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;

/**
 * Charts for notebooks and magics, drawn by JFreeChart and written as SVG by JFreeSVG: no browser library and
 * no network. A {@link Chart} shows as image/svg+xml, with its title as the text/plain fallback.
 */
public final class Charts {
    private static final Color[] PALETTE = {new Color(0x4c78a8), new Color(0xf58518), new Color(0x54a24b),
        new Color(0xe45756), new Color(0x72b7b2)};

    static {
        // Drawing to SVG needs no display; without this, AWT looks for one.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** An SVG chart; renders itself in a notebook. */
    public record Chart(String title, String svg) implements DisplayDataRenderable {
        @Override
        public void render(RenderContext ctx) {
            DisplayData d = new DisplayData(title);
            d.putSVG(svg);
            ctx.getOutputContainer().assign(d);
        }
    }

    /**
     * A bar per label, coloured by its group (e.g. the bucket it falls in), its value printed above it.
     *
     * @param labels one per bar, in order; {@code values} and {@code groups} match them
     */
    public static Chart bars(String title, String labelAxis, String valueAxis, List<String> labels, List<Double> values,
                             List<String> groups) {
        if (labels.size() != values.size() || labels.size() != groups.size()) {
            throw new IllegalArgumentException("bars: " + labels.size() + " labels, " + values.size() + " values and "
                    + groups.size() + " groups; give one of each per bar");
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int i = 0; i < labels.size(); i++) {
            // One series per group; a stacked chart keeps each bar full width though only one series has a value.
            for (String g : groups.stream().distinct().toList()) {
                data.addValue(g.equals(groups.get(i)) ? values.get(i) : null, g, labels.get(i));
            }
        }
        JFreeChart chart = ChartFactory.createStackedBarChart(title, labelAxis, valueAxis, data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (labels.size() > 8) {
            plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT))));
        r.setDefaultItemLabelsVisible(true);
        for (int s = 0; s < data.getRowCount(); s++) {
            r.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
        }
        return new Chart(title, svg(chart, 640, 320));
    }

    private static String svg(JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(0, 0, width, height));
        return g.getSVGElement();
    }
}
