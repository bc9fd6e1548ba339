package io.jneuron.magics.render;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
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

    /**
     * A matrix as coloured cells (white at {@code min}, blue at {@code max}), each with its value printed to two
     * decimals; row 0 at the top, e.g. the cosine similarities of embedded sentences.
     */
    public static Chart heatmap(String title, List<String> rows, List<String> cols, double[][] values, double min,
                                double max) {
        if (values.length != rows.size() || java.util.Arrays.stream(values).anyMatch(r -> r.length != cols.size())) {
            throw new IllegalArgumentException("heatmap: " + rows.size() + " row labels and " + cols.size()
                    + " column labels need a " + rows.size() + " x " + cols.size() + " matrix");
        }
        int n = rows.size() * cols.size();
        double[][] xyz = new double[3][n];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < cols.size(); j++) {
                int k = i * cols.size() + j;
                xyz[0][k] = j;
                xyz[1][k] = rows.size() - 1 - i; // the y axis grows upwards; the first row goes on top
                xyz[2][k] = values[i][j];
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(title, xyz);
        XYBlockRenderer r = new XYBlockRenderer();
        r.setPaintScale(new PaintScale() {
            @Override
            public double getLowerBound() {
                return min;
            }

            @Override
            public double getUpperBound() {
                return max;
            }

            @Override
            public java.awt.Paint getPaint(double v) {
                double t = Math.max(0, Math.min(1, (v - min) / (max - min)));
                return new Color((int) Math.round(255 - 179 * t), (int) Math.round(255 - 135 * t),
                        (int) Math.round(255 - 87 * t)); // white to PALETTE[0]
            }
        });
        List<String> reversed = new java.util.ArrayList<>(rows);
        java.util.Collections.reverse(reversed);
        XYPlot plot = new XYPlot(data, new SymbolAxis(null, cols.toArray(String[]::new)),
                new SymbolAxis(null, reversed.toArray(String[]::new)), r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        DecimalFormat f = new DecimalFormat("0.00", DecimalFormatSymbols.getInstance(Locale.ROOT));
        for (int k = 0; k < n; k++) {
            plot.addAnnotation(new XYTextAnnotation(f.format(xyz[2][k]), xyz[0][k], xyz[1][k]));
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return new Chart(title, svg(chart, 200 + 70 * cols.size() + 6 * rows.stream().mapToInt(String::length).max()
                .orElse(0), 90 + 45 * rows.size()));
    }

    private static String svg(JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(0, 0, width, height));
        return g.getSVGElement();
    }
}
