package effconv;

import effconv.layers.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

/**
 * A line chart drawn as SVG, with nothing to load: it shows in JupyterLab, in a saved notebook, on GitHub and
 * offline alike, and the same data always gives the same bytes (so reruns diff clean).
 *
 * <pre>{@code
 * Chart.line("Parameters against kernel size").x("kernel size K", ks).y("parameters").logY()
 *      .series("standard", std).series("separable", sep)
 * }</pre>
 */
public final class Chart {

    /** One named line. */
    public record Series(String name, double[] y, boolean dashed) {
    }

    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#17becf"};
    private static final int W = 680;
    private static final int H = 380;
    private static final int LEFT = 78;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 52;

    private final String title;
    private String xLabel = "";
    private String yLabel = "";
    private double[] x;
    private String[] categories;
    private boolean logX;
    private boolean logY;
    private final List<Series> series = new ArrayList<>();

    private Chart(String title) {
        this.title = Check.notNull("title", title);
    }

    public static Chart line(String title) {
        return new Chart(title);
    }

    /**
     * A bar chart: one group of bars per category, one bar per series ({@code series(name, values)} with a value
     * for each category).
     */
    public static Chart bars(String title, String... categories) {
        Check.notNull("categories", categories);
        if (categories.length == 0) {
            throw new IllegalArgumentException("categories = [] is not allowed: give at least one");
        }
        Chart c = line(title);
        c.x = new double[categories.length];
        for (int i = 0; i < categories.length; i++) {
            c.x[i] = i;
        }
        c.categories = categories.clone();
        return c;
    }

    /** A chart of table columns: x against each y column. */
    public static Chart of(Table table, String title, String xColumn, String... yColumns) {
        Check.notNull("table", table);
        Chart c = line(title).x(xColumn, numbers(table, xColumn));
        for (String y : yColumns) {
            c.series(y, numbers(table, y));
        }
        return c;
    }

    private static double[] numbers(Table t, String column) {
        if (!t.columnNames().contains(column)) {
            throw new IllegalArgumentException("column = \"" + column + "\" is not allowed: the table has "
                    + t.columnNames());
        }
        if (!(t.column(column) instanceof NumericColumn<?> n)) {
            throw new IllegalArgumentException("column = \"" + column + "\" is not allowed: it must be numeric");
        }
        return n.asDoubleArray();
    }

    public Chart x(String label, double[] values) {
        Check.notNull("x values", values);
        if (values.length == 0) {
            throw new IllegalArgumentException("x values = [] is not allowed: give at least one point");
        }
        this.xLabel = label;
        this.x = values.clone();
        return this;
    }

    public Chart x(String label, int[] values) {
        return x(label, java.util.Arrays.stream(Check.notNull("x values", values)).asDoubleStream().toArray());
    }

    public Chart y(String label) {
        this.yLabel = label;
        return this;
    }

    public Chart logX() {
        this.logX = true;
        return this;
    }

    public Chart logY() {
        this.logY = true;
        return this;
    }

    public Chart series(String name, double[] y) {
        return add(name, y, false);
    }

    public Chart series(String name, long[] y) {
        return series(name, java.util.Arrays.stream(Check.notNull("y values", y)).asDoubleStream().toArray());
    }

    /** A dashed line, for a formula drawn beside a measurement. */
    public Chart dashed(String name, double[] y) {
        return add(name, y, true);
    }

    private Chart add(String name, double[] y, boolean dashed) {
        Check.notNull("y values", y);
        if (x == null) {
            throw new IllegalArgumentException("series \"" + name + "\" is not allowed before x(…): set x first");
        }
        if (y.length != x.length) {
            throw new IllegalArgumentException("series \"" + name + "\" has " + y.length
                    + " values, which is not allowed: x has " + x.length);
        }
        series.add(new Series(name, y.clone(), dashed));
        return this;
    }

    public List<Series> series() {
        return List.copyOf(series);
    }

    private double tx(double v) {
        return logX ? Math.log10(v) : v;
    }

    private double ty(double v) {
        return logY ? Math.log10(v) : v;
    }

    /** The chart as a standalone SVG document. */
    public String toSvg() {
        SvgCanvas c = new SvgCanvas(W, H);
        draw(c);
        return c.finish();
    }

    /** The chart as a PNG image, drawn at {@code scale}× the nominal 680×380 for sharp display. */
    public byte[] toPng(int scale) {
        Check.positive("scale", scale);
        Check.atMost("scale", scale, 4, "larger images are not useful in a notebook");
        PngCanvas c = new PngCanvas(W, H, scale);
        draw(c);
        return c.finish();
    }

    /**
     * The chart as a plotly.js figure, {@code {"data": [...], "layout": {...}}}: the same series, colours, dashes,
     * log axes and titles as the picture, for the interactive view in JupyterLab (zoom, hover values).
     */
    public String toPlotlyJson() {
        requireSeries();
        StringBuilder s = new StringBuilder("{\"data\":[");
        for (int i = 0; i < series.size(); i++) {
            Series sr = series.get(i);
            String colour = PALETTE[i % PALETTE.length];
            s.append(i == 0 ? "" : ",").append("{\"name\":").append(jsonString(sr.name()));
            if (categories != null) {
                s.append(",\"type\":\"bar\",\"x\":").append(jsonStrings(categories))
                        .append(",\"marker\":{\"color\":\"").append(colour).append("\"}");
            } else {
                s.append(",\"type\":\"scatter\",\"mode\":\"lines+markers\",\"x\":").append(jsonNumbers(x))
                        .append(",\"line\":{\"color\":\"").append(colour).append("\"")
                        .append(sr.dashed() ? ",\"dash\":\"dash\"}" : "}");
            }
            s.append(",\"y\":").append(jsonNumbers(sr.y())).append("}");
        }
        s.append("],\"layout\":{\"title\":{\"text\":").append(jsonString(title)).append(",\"font\":{\"size\":14}}")
                .append(",\"width\":").append(W).append(",\"height\":").append(H)
                .append(",\"margin\":{\"l\":").append(LEFT).append(",\"r\":20,\"t\":").append(TOP + 10)
                .append(",\"b\":").append(BOTTOM).append("}")
                .append(",\"xaxis\":").append(axisJson(xLabel, categories == null && logX))
                .append(",\"yaxis\":").append(axisJson(yLabel, logY))
                .append(categories != null ? ",\"barmode\":\"group\"" : "")
                .append(",\"font\":{\"family\":\"sans-serif\",\"size\":12}}}");
        return s.toString();
    }

    private static String axisJson(String label, boolean log) {
        return "{\"title\":{\"text\":" + jsonString(label) + "}" + (log ? ",\"type\":\"log\"" : "")
                + ",\"zeroline\":false}";
    }

    /** The title. */
    public String title() {
        return title;
    }

    /** The nominal width in CSS pixels. */
    public static int width() {
        return W;
    }

    private void requireSeries() {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("series = [] is not allowed: the chart \"" + title
                    + "\" needs at least one, added with series(…)");
        }
    }

    private void draw(Canvas c) {
        requireSeries();
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            if (usable(v, logX)) {
                x0 = Math.min(x0, tx(v));
                x1 = Math.max(x1, tx(v));
            }
        }
        for (Series s : series) {
            for (double v : s.y) {
                if (usable(v, logY)) {
                    y0 = Math.min(y0, ty(v));
                    y1 = Math.max(y1, ty(v));
                }
            }
        }
        if (x0 > x1 || y0 > y1) {
            throw new IllegalArgumentException("series values are not allowed: the chart \"" + title
                    + "\" has no point it can draw (values must be finite" + (logY || logX ? ", and above 0 on a log axis)" : ")"));
        }
        if (categories != null) {
            logX = false;
            x0 = -0.5;
            x1 = categories.length - 0.5;
            if (!logY) {
                y0 = Math.min(0, y0);
            }
        }
        Axis ax = categories != null ? new Axis(x0, x1, List.of(), false) : Axis.of(x0, x1, logX);
        Axis ay = Axis.of(y0, y1, logY);
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        c.text(LEFT + pw / 2.0, 22, title, Canvas.Anchor.MIDDLE, 15, true, false);
        for (double t : ax.ticks) {
            double px = LEFT + (t - ax.lo) / (ax.hi - ax.lo) * pw;
            c.line(px, TOP, px, TOP + ph, "#e5e5e5", 1, false);
            c.text(px, TOP + ph + 16, ax.label(t), Canvas.Anchor.MIDDLE, 11, false, false);
        }
        for (double t : ay.ticks) {
            double py = TOP + ph - (t - ay.lo) / (ay.hi - ay.lo) * ph;
            c.line(LEFT, py, LEFT + pw, py, "#e5e5e5", 1, false);
            c.text(LEFT - 6, py + 4, ay.label(t), Canvas.Anchor.END, 11, false, false);
        }
        c.rect(LEFT, TOP, pw, ph, "#333333");
        c.text(LEFT + pw / 2.0, H - 12, xLabel + (logX ? " (log scale)" : ""), Canvas.Anchor.MIDDLE, 12, false,
                false);
        c.text(18, TOP + ph / 2.0, yLabel + (logY ? " (log scale)" : ""), Canvas.Anchor.MIDDLE, 12, false, true);
        if (categories != null) {
            double slot = (double) pw / categories.length;
            double bw = slot * 0.8 / series.size();
            double base = TOP + ph - (ty(logY ? Math.pow(10, ay.lo) : Math.max(0, ay.lo)) - ay.lo) / (ay.hi - ay.lo) * ph;
            for (int i = 0; i < categories.length; i++) {
                c.text(LEFT + slot * (i + 0.5), TOP + ph + 16, categories[i], Canvas.Anchor.MIDDLE, 11, false, false);
                for (int si = 0; si < series.size(); si++) {
                    double v = series.get(si).y[i];
                    if (!usable(v, logY)) {
                        continue;
                    }
                    double py = TOP + ph - (ty(v) - ay.lo) / (ay.hi - ay.lo) * ph;
                    double bx = LEFT + slot * i + slot * 0.1 + si * bw;
                    c.fill(bx, Math.min(py, base), bw, Math.abs(base - py), PALETTE[si % PALETTE.length]);
                }
            }
            for (int si = 0; si < series.size(); si++) {
                double ly = TOP + 10 + si * 20;
                c.fill(LEFT + pw + 14, ly - 6, 22, 12, PALETTE[si % PALETTE.length]);
                c.text(LEFT + pw + 42, ly + 4, series.get(si).name, Canvas.Anchor.START, 12, false, false);
            }
            return;
        }
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            String color = PALETTE[si % PALETTE.length];
            List<double[]> run = new ArrayList<>();
            for (int i = 0; i <= x.length; i++) {
                boolean ok = i < x.length && usable(x[i], logX) && usable(s.y[i], logY);
                if (ok) {
                    double px = LEFT + (tx(x[i]) - ax.lo) / (ax.hi - ax.lo) * pw;
                    double py = TOP + ph - (ty(s.y[i]) - ay.lo) / (ay.hi - ay.lo) * ph;
                    run.add(new double[] {px, py});
                } else if (!run.isEmpty()) {
                    c.polyline(run, color, 2, s.dashed);
                    if (!s.dashed) {
                        for (double[] p : run) {
                            c.dot(p[0], p[1], 3, color);
                        }
                    }
                    run.clear();
                }
            }
            double ly = TOP + 10 + si * 20;
            double lx = LEFT + pw + 14;
            c.line(lx, ly, lx + 22, ly, color, 2, s.dashed);
            c.text(lx + 28, ly + 4, s.name, Canvas.Anchor.START, 12, false, false);
        }
    }

    private static boolean usable(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    /** An axis range padded to round tick values; log axes tick at powers of ten. */
    private record Axis(double lo, double hi, List<Double> ticks, boolean log) {
        static Axis of(double lo, double hi, boolean log) {
            if (log) {
                double a = Math.floor(lo);
                double b = Math.ceil(hi);
                if (a == b) {
                    b = a + 1;
                }
                List<Double> t = new ArrayList<>();
                int step = (int) Math.max(1, Math.ceil((b - a) / 8));
                for (double e = a; e <= b + 1e-9; e += step) {
                    t.add(e);
                    // a short log axis also gets 2× and 5× ticks, so values can be read off
                    if (b - a <= 2 && e < b) {
                        t.add(e + Math.log10(2));
                        t.add(e + Math.log10(5));
                    }
                }
                return new Axis(a, b, t, true);
            }
            if (lo == hi) {
                lo = lo - Math.max(1, Math.abs(lo) * 0.1);
                hi = hi + Math.max(1, Math.abs(hi) * 0.1);
            }
            double step = niceStep((hi - lo) / 6);
            double a = Math.floor(lo / step) * step;
            double b = Math.ceil(hi / step) * step;
            List<Double> t = new ArrayList<>();
            for (int i = 0; a + i * step <= b + step * 1e-9; i++) {
                t.add(a + i * step);
            }
            return new Axis(a, b, t, false);
        }

        static double niceStep(double raw) {
            double p = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / p;
            return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
        }

        String label(double t) {
            double v = log ? Math.pow(10, t) : t;
            return number(v);
        }
    }

    /** Compact numbers for ticks: 0.25, 12, 1.5k, 3M, 2G. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) return trim(v / 1e9) + "G";
        if (a >= 1e6) return trim(v / 1e6) + "M";
        if (a >= 1e4) return trim(v / 1e3) + "k";
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s.equals("-0") ? "0" : s;
    }

    @Override
    public String toString() {
        return "Chart(\"" + title + "\", " + series.size() + " series)";
    }

    // JSON written by hand until charts move to tablesaw-jsplot
    /** A JSON string; also safe inside an HTML script element ({@code </} is written {@code <\/}). */
    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '/' -> b.append(i > 0 && s.charAt(i - 1) == '<' ? "\\/" : "/");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String jsonStrings(String[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ",").append(jsonString(values[i]));
        }
        return b.append(']').toString();
    }

    /** Numbers as JSON; NaN and infinities (a log axis's zero, a missing value) become null, a gap. */
    private static String jsonNumbers(double[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            b.append(i == 0 ? "" : ",");
            if (Double.isFinite(v)) {
                b.append(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v));
            } else {
                b.append("null");
            }
        }
        return b.append(']').toString();
    }
}
