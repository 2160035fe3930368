package effconv.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A figure's plotly JSON drawn as a PNG with XChart: the picture a saved notebook shows where plotly.js does not
 * run (GitHub, nbviewer, an HTML export, an untrusted notebook). Same titles, series, colours, dashes and log axes
 * as the interactive chart; the title wraps instead of being cut, crowded labels turn or thin out, and the same
 * figure always gives the same bytes.
 */
public final class Picture {
    private Picture() {
    }

    /**
     * Drawn at the nominal size. (Twice it would be sharper on high-density screens, but JupyterLab's plotly renderer
     * shows a saved picture at its natural pixel size until the pointer enters it, so a 2× picture would spill out of
     * the output area of every lesson as it opens.)
     */
    public static final int SCALE = 1;
    /** Rows of panels wrap at this width (a notebook's output area). */
    static final int MAX_WIDTH = 880;

    private static final String FONT = "SansSerif";
    private static final Font TITLE = new Font(FONT, Font.BOLD, 15);
    private static final Font PANEL_TITLE = new Font(FONT, Font.BOLD, 13);
    private static final Font AXIS_TITLE = new Font(FONT, Font.PLAIN, 12);
    private static final Font TICKS = new Font(FONT, Font.PLAIN, 11);
    private static final Font LEGEND = new Font(FONT, Font.PLAIN, 12);
    private static final FontRenderContext FRC = new FontRenderContext(null, true, true);
    private static final Color GRID = new Color(0xe5, 0xe5, 0xe5);
    private static final Color TEXT = new Color(0x2a, 0x2a, 0x2a);

    /** A PNG and the width, in CSS pixels, to show it at. */
    public record Png(byte[] bytes, int width) {
    }

    /** One figure. */
    public static Png of(ObjectNode figure) {
        Box box = box(figure, TITLE);
        BufferedImage img = canvas(box.width, box.height);
        Graphics2D g = graphics(img);
        box.paint(g, 0, 0);
        g.dispose();
        return new Png(encode(img), box.width);
    }

    /** Panels under one title, left to right, wrapping onto a new line past {@value #MAX_WIDTH} px. */
    public static Png of(String title, List<ObjectNode> panels) {
        List<Box> boxes = new ArrayList<>();
        for (ObjectNode p : panels) {
            boxes.add(box(p, PANEL_TITLE));
        }
        // lay the panels out in lines
        List<int[]> at = new ArrayList<>();
        int x = 0;
        int y = 0;
        int lineHeight = 0;
        int width = 0;
        for (Box b : boxes) {
            if (x > 0 && x + b.width > MAX_WIDTH) {
                x = 0;
                y += lineHeight;
                lineHeight = 0;
            }
            at.add(new int[] {x, y});
            x += b.width;
            width = Math.max(width, x);
            lineHeight = Math.max(lineHeight, b.height);
        }
        List<String> lines = wrap(title, TITLE, width - 24);
        int strip = titleHeight(lines, TITLE);
        int height = strip + y + lineHeight;
        BufferedImage img = canvas(width, height);
        Graphics2D g = graphics(img);
        drawTitle(g, lines, TITLE, 0, width, 0);
        for (int i = 0; i < boxes.size(); i++) {
            boxes.get(i).paint(g, at.get(i)[0], strip + at.get(i)[1]);
        }
        g.dispose();
        return new Png(encode(img), width);
    }

    // ---- one figure: a title strip above an XChart chart -----------------------------------------------------

    private record Box(int width, int height, List<String> title, Font font, Chart<?, ?> chart) {
        void paint(Graphics2D g, int x, int y) {
            int strip = titleHeight(title, font);
            drawTitle(g, title, font, x, width, y);
            Graphics2D c = (Graphics2D) g.create();
            c.translate(x, y + strip);
            chart.paint(c, width, height - strip);
            c.dispose();
        }
    }

    private static Box box(ObjectNode fig, Font titleFont) {
        JsonNode layout = fig.path("layout");
        int w = Math.max(160, layout.path("width").asInt(700));
        int h = Math.max(120, layout.path("height").asInt(450));
        List<String> title = wrap(text(layout), titleFont, w - 24);
        int chartH = Math.max(80, h - titleHeight(title, titleFont));
        JsonNode data = fig.path("data");
        String kind = kind(data);
        Chart<?, ?> chart = switch (kind) {
            case "heatmap" -> heatmap(layout, data.get(0), w, chartH);
            case "bar" -> bars(layout, data, w, chartH);
            default -> xy(layout, data, w, chartH);
        };
        Styler s = chart.getStyler();
        s.setChartTitleVisible(false);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartFontColor(TEXT);
        s.setLegendFont(LEGEND);
        s.setLegendBorderColor(Color.WHITE);
        s.setLegendBackgroundColor(Color.WHITE);
        s.setChartPadding(10);
        s.setAntiAlias(true);
        if (s instanceof AxesChartStyler a) {
            a.setAxisTitleFont(AXIS_TITLE);
            a.setAxisTickLabelsFont(TICKS);
            a.setPlotBorderColor(new Color(0x9a, 0x9a, 0x9a));
            a.setPlotGridLinesColor(GRID);
            a.setPlotGridLinesStroke(new BasicStroke(1f));
            a.setAxisTickLabelsColor(TEXT);
            a.setAxisTicksLineVisible(false);
        }
        return new Box(w, h, title, titleFont, chart);
    }

    /** Every trace must be drawable: scatter traces (lines, markers) together, bars together, or one heatmap. */
    private static String kind(JsonNode data) {
        if (!data.isArray() || data.isEmpty()) {
            throw new IllegalArgumentException("figure has 0 traces, which is not allowed: give it at least one");
        }
        String first = data.get(0).path("type").asText("scatter");
        for (JsonNode t : data) {
            String type = t.path("type").asText("scatter");
            if (!List.of("scatter", "bar", "heatmap").contains(type)) {
                throw new IllegalArgumentException("trace type = \"" + type + "\" is not allowed in the course's "
                        + "pictures: use scatter, bar or heatmap traces");
            }
            if (!type.equals(first) || (type.equals("heatmap") && data.size() > 1)) {
                throw new IllegalArgumentException("traces of types " + types(data) + " in one figure are not "
                        + "allowed in the course's pictures: use one kind per figure (one heatmap each), "
                        + "and Plot.row(…) for panels side by side");
            }
        }
        return first;
    }

    private static List<String> types(JsonNode data) {
        List<String> types = new ArrayList<>();
        data.forEach(t -> types.add(t.path("type").asText("scatter")));
        return types;
    }

    // ---- lines and markers -----------------------------------------------------------------------------------

    private static XYChart xy(JsonNode layout, JsonNode data, int w, int h) {
        XYChart chart = new XYChart(w, h);
        JsonNode xaxis = layout.path("xaxis");
        JsonNode yaxis = layout.path("yaxis");
        boolean logX = "log".equals(xaxis.path("type").asText());
        boolean logY = "log".equals(yaxis.path("type").asText());
        chart.setXAxisTitle(text(xaxis));
        chart.setYAxisTitle(text(yaxis));
        var s = chart.getStyler();
        s.setErrorBarsColorSeriesColor(true);
        // XChart labels a log axis at powers of ten only: a range under one power of ten is drawn as a linear axis
        // of exponents instead, labelled with the values (0.5, 0.63, 0.79, 1, …)
        boolean expX = logX && span(data, "x") < 1;
        boolean expY = logY && span(data, "y") < 1;
        s.setXAxisLogarithmic(logX && !expX);
        s.setYAxisLogarithmic(logY && !expY);
        s.setXAxisTickLabelsFormattingFunction(expX ? v -> tick(Math.pow(10, v)) : Picture::tick);
        s.setYAxisTickLabelsFormattingFunction(expY ? v -> tick(Math.pow(10, v)) : Picture::tick);
        s.setXAxisTitleVisible(!text(xaxis).isEmpty());
        s.setYAxisTitleVisible(!text(yaxis).isEmpty());
        s.setMarkerSize(7);
        legend(s, layout, data);
        if (logX && !expX) {
            decades(data, "x").ifPresent(r -> s.setXAxisMin(r[0]).setXAxisMax(r[1]));
        }
        if (logY && !expY) {
            decades(data, "y").ifPresent(r -> s.setYAxisMin(r[0]).setYAxisMax(r[1]));
        }
        int i = 0;
        for (JsonNode t : data) {
            double[] x = exponents(doubles(t.get("x"), logX), expX);
            double[] y = exponents(doubles(t.get("y"), logY), expY);
            if (x.length != y.length) {
                throw new IllegalArgumentException("trace " + i + " has " + x.length + " x and " + y.length
                        + " y values, which is not allowed: one y for each x");
            }
            if (!anyPoint(x, y)) {
                throw new IllegalArgumentException("trace " + name(t, i) + " has no point to draw, which is not "
                        + "allowed: values must be finite" + (logX || logY ? ", and above 0 on a log axis" : ""));
            }
            JsonNode bars = t.path("error_y").path("array");
            XYSeries series = bars.isArray()
                    ? chart.addSeries(unique(chart, name(t, i)), x, y, errorBars(bars, y.length))
                    : chart.addSeries(unique(chart, name(t, i)), x, y);
            Color colour = colour(t, i);
            String mode = t.path("mode").asText(x.length > 20 ? "lines" : "lines+markers");
            series.setLineColor(colour);
            series.setMarkerColor(colour);
            series.setMarker(mode.contains("markers") ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            if (!mode.contains("lines")) {
                series.setLineStyle(SeriesLines.NONE);
            } else {
                float width = (float) t.path("line").path("width").asDouble(2);
                series.setLineStyle(switch (t.path("line").path("dash").asText("solid")) {
                    case "dash", "longdash", "dashdot", "longdashdot" -> new BasicStroke(width, BasicStroke.CAP_BUTT,
                            BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 4f}, 0f);
                    case "dot" -> new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
                            new float[] {1.5f, 3.5f}, 0f);
                    default -> new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
                });
            }
            if (t.path("showlegend").isBoolean() && !t.get("showlegend").asBoolean()) {
                series.setShowInLegend(false);
            }
            i++;
        }
        return chart;
    }

    /** plotly's error_y array as XChart's: a gap (NaN or null) is no bar. */
    private static double[] errorBars(JsonNode bars, int n) {
        double[] e = new double[n];
        for (int k = 0; k < n; k++) {
            e[k] = bars.get(k).isNumber() ? bars.get(k).asDouble() : 0;
        }
        return e;
    }

    /**
     * A log axis range holding at least two powers of ten: XChart labels only powers of ten, so a short range
     * (0.11 to 1.1) would show one label; it is widened to the nearer power of ten (0.1 to 1.1). Empty when the
     * values already span two.
     */
    static java.util.Optional<double[]> decades(JsonNode data, String axis) {
        double[] range = positiveRange(data, axis);
        double lo = range[0];
        double hi = range[1];
        if (!(lo <= hi)) {
            return java.util.Optional.empty();
        }
        // exponents, snapped when a value is a power of ten up to rounding
        double a = snap(Math.log10(lo));
        double b = snap(Math.log10(hi));
        if (Math.floor(b) - Math.ceil(a) >= 1) {
            return java.util.Optional.empty();
        }
        while (Math.floor(b) - Math.ceil(a) < 1) {
            double lower = a == Math.floor(a) ? a - 1 : Math.floor(a);
            double upper = b == Math.ceil(b) ? b + 1 : Math.ceil(b);
            if (a - lower <= upper - b) {
                a = lower;
            } else {
                b = upper;
            }
        }
        return java.util.Optional.of(new double[] {Math.min(lo, Math.pow(10, a)), Math.max(hi, Math.pow(10, b))});
    }

    /** How many powers of ten the positive values of an axis span (0 for one value or none). */
    static double span(JsonNode data, String axis) {
        double[] range = positiveRange(data, axis);
        return range[0] <= range[1] ? Math.log10(range[1] / range[0]) : 0;
    }

    /** The smallest and largest positive values of an axis over all traces ({+∞, −∞} when there are none). */
    private static double[] positiveRange(JsonNode data, String axis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (JsonNode t : data) {
            for (double v : doubles(t.get(axis), true)) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return new double[] {lo, hi};
    }

    private static double[] exponents(double[] v, boolean apply) {
        if (!apply) {
            return v;
        }
        double[] e = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            e[i] = Math.log10(v[i]);
        }
        return e;
    }

    private static double snap(double e) {
        return Math.abs(e - Math.rint(e)) < 1e-9 ? Math.rint(e) : e;
    }

    private static boolean anyPoint(double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                return true;
            }
        }
        return false;
    }

    // ---- bars ------------------------------------------------------------------------------------------------

    private static CategoryChart bars(JsonNode layout, JsonNode data, int w, int h) {
        CategoryChart chart = new CategoryChart(w, h);
        JsonNode xaxis = layout.path("xaxis");
        JsonNode yaxis = layout.path("yaxis");
        chart.setXAxisTitle(text(xaxis));
        chart.setYAxisTitle(text(yaxis));
        var s = chart.getStyler();
        boolean logY = "log".equals(yaxis.path("type").asText());
        s.setYAxisLogarithmic(logY);
        s.setYAxisTickLabelsFormattingFunction(Picture::tick);
        s.setXAxisTitleVisible(!text(xaxis).isEmpty());
        s.setYAxisTitleVisible(!text(yaxis).isEmpty());
        s.setOverlapped("overlay".equals(layout.path("barmode").asText()));
        s.setStacked("stack".equals(layout.path("barmode").asText()));
        s.setAvailableSpaceFill(0.8);
        s.setPlotGridVerticalLinesVisible(false);
        legend(s, layout, data);
        List<String> categories = strings(data.get(0).get("x"));
        // labels that would not fit side by side are turned (the plot is what the axis and the legend leave)
        double legendWidth = s.getLegendPosition() == Styler.LegendPosition.OutsideE ? legendWidth(data) + 40 : 0;
        double room = (w - 120.0 - legendWidth) / Math.max(1, categories.size());
        double widest = categories.stream().mapToDouble(c -> width(c, TICKS)).max().orElse(0);
        if (widest > room - 6) {
            s.setXAxisLabelRotation(widest * 0.7 > room ? 60 : 30);
        }
        s.setXAxisMaxLabelCount(categories.size()); // every bar's label, not every other one
        int i = 0;
        for (JsonNode t : data) {
            List<String> xs = strings(t.get("x"));
            if (!xs.equals(categories)) {
                throw new IllegalArgumentException("bar trace " + name(t, i) + " has categories " + xs
                        + ", which is not allowed: every bar trace of a figure needs the first one's " + categories);
            }
            double[] ys = doubles(t.get("y"), logY);
            List<Double> values = new ArrayList<>();
            for (double v : ys) {
                values.add(Double.isFinite(v) ? v : 0.0);
            }
            CategorySeries series = chart.addSeries(unique(chart, name(t, i)), xs, values);
            series.setFillColor(colour(t, i));
            i++;
        }
        return chart;
    }

    // ---- heatmaps --------------------------------------------------------------------------------------------

    private static HeatMapChart heatmap(JsonNode layout, JsonNode t, int w, int h) {
        HeatMapChart chart = new HeatMapChartBuilder().width(w).height(h).build();
        JsonNode xaxis = layout.path("xaxis");
        JsonNode yaxis = layout.path("yaxis");
        chart.setXAxisTitle(text(xaxis));
        chart.setYAxisTitle(text(yaxis));
        JsonNode z = t.get("z");
        if (z == null || !z.isArray() || z.isEmpty() || !z.get(0).isArray() || z.get(0).isEmpty()) {
            throw new IllegalArgumentException("heatmap z is empty, which is not allowed: give at least a 1×1 matrix");
        }
        int rows = z.size();
        int cols = z.get(0).size();
        boolean reversed = "reversed".equals(yaxis.path("autorange").asText());
        List<String> xs = ticked(labels(t.get("x"), cols), xaxis);
        List<String> ys = ticked(labels(t.get("y"), rows), yaxis);
        List<Number[]> cells = new ArrayList<>();
        double[] range = FigureJson.range(z);
        for (int i = 0; i < rows; i++) {
            JsonNode row = z.get(i);
            for (int j = 0; j < cols; j++) {
                JsonNode v = row.get(j);
                if (v != null && v.isNumber() && Double.isFinite(v.asDouble())) {
                    // XChart draws its first row at the bottom; a reversed y axis puts row 0 at the top
                    cells.add(new Number[] {j, reversed ? rows - 1 - i : i, v.asDouble()});
                }
            }
        }
        if (reversed) {
            ys = new ArrayList<>(ys);
            java.util.Collections.reverse(ys);
        }
        chart.addSeries("z", xs, ys, cells);
        var s = chart.getStyler();
        double lo = t.path("zmin").asDouble(range[0]);
        double hi = t.path("zmax").asDouble(range[1]);
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        s.setMin(lo);
        s.setMax(hi);
        s.setRangeColors(colours(t.path("colorscale")));
        s.setShowValue(false);
        s.setPlotMargin(0);
        s.setPiecewise(false);
        s.setDrawBorder(false);
        s.setPlotGridLinesVisible(false);
        s.setLegendVisible(!(t.path("showscale").isBoolean() && !t.get("showscale").asBoolean()));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setGradientColorColumnWeight(12);
        s.setGradientColorColumnHeight(Math.max(40, h - 120));
        s.setHeatMapDecimalValueFormatter(Picture::tick);
        s.setHeatMapValueDecimalPattern(Math.abs(hi - lo) >= 10 ? "0" : "0.##");
        s.setXAxisTitleVisible(!text(xaxis).isEmpty());
        s.setYAxisTitleVisible(!text(yaxis).isEmpty());
        return chart;
    }

    /** A heatmap's tick labels (XChart thins them so they never overlap). */
    private static List<String> labels(JsonNode given, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(given != null && given.size() > i ? tickText(given.get(i)) : String.valueOf(i));
        }
        return out;
    }

    /**
     * The labels an axis with plotly's linear ticks ({@code tick0}, {@code dtick}: a tick every dtick cells, at group
     * boundaries say) shows, the others blank, so the picture is ticked where the interactive chart is.
     */
    static List<String> ticked(List<String> labels, JsonNode axis) {
        double step = axis.path("dtick").asDouble(0);
        if (!(step >= 1) || step != Math.rint(step)) {
            return labels;
        }
        int first = axis.path("tick0").asInt(0);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            out.add(Math.floorMod(i - first, (int) step) == 0 ? labels.get(i) : "");
        }
        return out;
    }

    private static String tickText(JsonNode v) {
        return v.isNumber() ? tick(v.asDouble()) : v.asText();
    }

    private static Color[] colours(JsonNode scale) {
        if (!scale.isArray() || scale.size() < 2) {
            return colours(FigureJson.scale(FigureJson.SEQUENTIAL));
        }
        Color[] out = new Color[scale.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = colour(scale.get(i).get(1).asText());
        }
        return out;
    }

    // ---- shared ----------------------------------------------------------------------------------------------

    /** The legend right of the plot; below it when names are long enough to squeeze the plot. */
    private static void legend(Styler s, JsonNode layout, JsonNode data) {
        boolean show = layout.path("showlegend").asBoolean(data.size() > 1);
        s.setLegendVisible(show);
        int w = layout.path("width").asInt(700);
        s.setLegendPosition(legendWidth(data) + 10 > 0.3 * w ? Styler.LegendPosition.OutsideS
                : Styler.LegendPosition.OutsideE);
        if (s.getLegendPosition() == Styler.LegendPosition.OutsideS) {
            // side by side when the names fit across the picture, else one under the other
            double across = 0;
            int i = 0;
            for (JsonNode t : data) {
                across += width(name(t, i++), LEGEND) + 60;
            }
            s.setLegendLayout(across < w - 40 ? Styler.LegendLayout.Horizontal : Styler.LegendLayout.Vertical);
        }
    }

    private static double legendWidth(JsonNode data) {
        double widest = 0;
        int i = 0;
        for (JsonNode t : data) {
            widest = Math.max(widest, width(name(t, i++), LEGEND));
        }
        return widest + 40;
    }

    private static String name(JsonNode t, int i) {
        return t.path("name").asText("trace " + i);
    }

    /** XChart needs distinct series names; plotly does not. */
    private static String unique(Chart<?, ?> chart, String name) {
        String n = name;
        for (int k = 2; chart.getSeries(n) != null; k++) {
            n = name + " (" + k + ")";
        }
        return n;
    }

    /** The trace's own colour, else plotly's colour for its place. */
    private static Color colour(JsonNode t, int i) {
        for (JsonNode c : new JsonNode[] {t.path("line").path("color"), t.path("marker").path("color")}) {
            if (c.isTextual() && c.asText().startsWith("#")) {
                return colour(c.asText());
            }
        }
        return colour(FigureJson.COLORWAY.get(i % FigureJson.COLORWAY.size()));
    }

    static Color colour(String hex) {
        String h = hex.strip();
        if (h.length() == 4) {
            h = "#" + h.charAt(1) + h.charAt(1) + h.charAt(2) + h.charAt(2) + h.charAt(3) + h.charAt(3);
        }
        try {
            return Color.decode(h);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("colour = \"" + hex + "\" is not allowed in the course's pictures: "
                    + "write it as #rrggbb");
        }
    }

    private static String text(JsonNode titled) {
        return titled.path("title").path("text").asText("").replace("<br>", " ");
    }

    /** Numbers (null is a gap); on a log axis, values at or below 0 are left out, as plotly.js leaves them. */
    private static double[] doubles(JsonNode a, boolean log) {
        if (a == null || !a.isArray()) {
            return new double[0];
        }
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            JsonNode v = a.get(i);
            d[i] = v.isNumber() ? v.asDouble() : Double.NaN;
            if (log && !(d[i] > 0)) {
                d[i] = Double.NaN;
            }
        }
        return d;
    }

    private static List<String> strings(JsonNode a) {
        List<String> s = new ArrayList<>();
        if (a != null) {
            a.forEach(v -> s.add(tickText(v)));
        }
        return s;
    }

    /** Tick labels as plotly writes them: 0.25, 12, 1500, 15k, 4.9M, 2G. */
    static String tick(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) {
            return trim(v / 1e9) + "G";
        }
        if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (a >= 1e4) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : String.valueOf(v);
        }
        String s = new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    // ---- titles and pixels -----------------------------------------------------------------------------------

    private static double width(String s, Font f) {
        return f.getStringBounds(s, FRC).getWidth();
    }

    /** Words onto lines no wider than {@code max}; a word longer than a line is shrunk onto it by the caller. */
    static List<String> wrap(String text, Font f, double max) {
        List<String> lines = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return lines;
        }
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (line.length() > 0 && width(candidate, f) > max) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        lines.add(line.toString());
        return lines;
    }

    private static int titleHeight(List<String> lines, Font f) {
        return lines.isEmpty() ? 8 : 12 + lines.size() * (f.getSize() + 5);
    }

    private static void drawTitle(Graphics2D g, List<String> lines, Font f, int x, int width, int y) {
        g.setColor(TEXT);
        int baseline = y + 8 + f.getSize();
        for (String line : lines) {
            Font font = f;
            // one word wider than the picture: shrink it rather than cut it
            while (width(line, font) > width - 16 && font.getSize() > 7) {
                font = font.deriveFont((float) font.getSize() - 1);
            }
            g.setFont(font);
            g.drawString(line, (float) (x + (width - width(line, font)) / 2), baseline);
            baseline += f.getSize() + 5;
        }
    }

    private static BufferedImage canvas(int w, int h) {
        return new BufferedImage(w * SCALE, h * SCALE, BufferedImage.TYPE_INT_RGB);
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.scale(SCALE, SCALE);
        return g;
    }

    private static byte[] encode(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
