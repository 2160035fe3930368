package effconv.plot;

import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Line;
import tech.tablesaw.plotly.components.Margin;
import tech.tablesaw.plotly.components.Marker;
import tech.tablesaw.plotly.components.TickSettings;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.HeatmapTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * Shortcuts for the lessons' common charts, built of tablesaw-jsplot's own parts: every method returns a
 * {@link Layout}, {@link Axis}, trace or {@link Figure} that the tablesaw-jsplot API keeps building
 * ({@code figure.setLayout(…)}, {@code figure.setTraces(…)}, {@code Axis.builder()…}).
 *
 * <pre>{@code
 * new Figure(Plot.layout("Parameters against K", Plot.axis("kernel size K"), Plot.logAxis("parameters")),
 *     Plot.line("standard", ks, standard), Plot.dashed("formula", ks, formula))
 * }</pre>
 */
public final class Plot {
    private Plot() {
    }

    /** A chart's size in CSS pixels: fits a notebook's output area. */
    public static final int WIDTH = 680;
    public static final int HEIGHT = 400;

    /** A linear axis with a title. */
    public static Axis axis(String title) {
        return Axis.builder().title(text("axis title", title)).build();
    }

    /** A logarithmic axis with a title (values must be above 0; others are left out of the chart). */
    public static Axis logAxis(String title) {
        return Axis.builder().title(text("axis title", title)).type(Axis.Type.LOG).build();
    }

    /** The course's layout: title, axes, the legend shown, grouped bars, a notebook-wide size. */
    public static Layout layout(String title, Axis x, Axis y) {
        return Layout.builder(text("title", title)).xAxis(notNull("x axis", x)).yAxis(notNull("y axis", y))
                .showLegend(true).barMode(Layout.BarMode.GROUP).width(WIDTH).height(HEIGHT)
                .margin(Margin.builder().left(80).right(30).top(60).bottom(60).build()).build();
    }

    /** A layout with two linear axes. */
    public static Layout layout(String title, String xTitle, String yTitle) {
        return layout(title, axis(xTitle), axis(yTitle));
    }

    /** A line through (x, y), with a marker on each point when there are few (up to 20); NaN values are gaps. */
    public static ScatterTrace line(String name, double[] x, double[] y) {
        return scatter(name, x, y).mode(Plot.notNull("x", x).length <= 20 ? ScatterTrace.Mode.LINE_AND_MARKERS
                : ScatterTrace.Mode.LINE).build();
    }

    public static ScatterTrace line(String name, int[] x, double[] y) {
        return line(name, doubles("x", x), y);
    }

    public static ScatterTrace line(String name, int[] x, long[] y) {
        return line(name, doubles("x", x), doubles("y", y));
    }

    public static ScatterTrace line(String name, double[] x, long[] y) {
        return line(name, x, doubles("y", y));
    }

    /** A dashed line without markers: a formula or a bound drawn beside what was counted or measured. */
    public static ScatterTrace dashed(String name, double[] x, double[] y) {
        return scatter(name, x, y).mode(ScatterTrace.Mode.LINE)
                .line(Line.builder().dash(Line.Dash.DASH).width(2).build()).build();
    }

    public static ScatterTrace dashed(String name, int[] x, double[] y) {
        return dashed(name, doubles("x", x), y);
    }

    /**
     * The trace with error bars: ± {@code plusMinus[i]} around its i-th point (a standard error, say), drawn
     * interactively and in the picture. One value per point, each finite and at least 0 (NaN: no bar there).
     */
    public static Trace withErrorBars(ScatterTrace trace, double[] plusMinus) {
        notNull("trace", trace);
        notNull("plusMinus", plusMinus);
        for (int i = 0; i < plusMinus.length; i++) {
            if (plusMinus[i] < 0 || Double.isInfinite(plusMinus[i])) {
                throw new IllegalArgumentException("plusMinus[" + i + "] = " + plusMinus[i] + " is not allowed: an "
                        + "error bar is a finite length, at least 0 (NaN for none)");
            }
        }
        return new ErrorBars(trace, plusMinus);
    }

    /** Points only. */
    public static ScatterTrace points(String name, double[] x, double[] y) {
        return scatter(name, x, y).mode(ScatterTrace.Mode.MARKERS).marker(Marker.builder().size(8).build()).build();
    }

    /**
     * Where a network's MACs and parameters sit along its depth: the cumulative share of each (solid: MACs, dashed:
     * parameters) against the share of its layers passed, read at 0, 1, …, 100 % so networks of different depth share
     * one axis.
     */
    public static Figure cumulativeShares(String title, effconv.models.Model... nets) {
        notNull("nets", nets);
        List<Trace> traces = new java.util.ArrayList<>();
        double[] depth = new double[101];
        for (int q = 0; q <= 100; q++) depth[q] = q;
        for (effconv.models.Model net : nets) {
            notNull("net", net);
            List<effconv.report.Summary.Row> rows = effconv.report.Summary.of(net).rows();
            double[] macs = new double[101], params = new double[101];
            long macSum = 0, paramSum = 0;
            int q = 0;
            for (int i = 0; i < rows.size(); i++) {
                macSum += rows.get(i).macs();
                paramSum += rows.get(i).params();
                // every whole percentage of the depth up to this layer's position reads this layer's running sums
                for (; q <= 100 && q <= 100.0 * (i + 1) / rows.size(); q++) {
                    macs[q] = 100.0 * macSum / net.macs();
                    params[q] = 100.0 * paramSum / net.params();
                }
            }
            traces.add(line(net.name() + " MACs", depth, macs));
            traces.add(dashed(net.name() + " params", depth, params));
        }
        return new Figure(layout(title, "depth (% of the layers)", "cumulative share, %"), traces.toArray(Trace[]::new));
    }

    /**
     * The roofline chart: FLOPs per byte against GFLOP/s, both logarithmic; the measured roofs as one line (memory's
     * slope up to the ridge, then the FMA peak), and the cases as points, one trace per kind — and the cases whose
     * timing was flagged as a trace of their own.
     */
    public static Figure roofline(String title, effconv.bench.Roofline r) {
        notNull("roofline", r);
        double lo = r.ridge(), hi = r.ridge();
        for (var p : r.points()) {
            lo = Math.min(lo, p.flopsPerByte());
            hi = Math.max(hi, p.flopsPerByte());
        }
        double[] x = {lo / 2, r.ridge(), hi * 2};
        double[] roof = Arrays.stream(x).map(r::roof).toArray();
        List<Trace> traces = new java.util.ArrayList<>();
        traces.add(line(String.format(java.util.Locale.ROOT, "roof: %.0f GB/s copy, %.0f GFLOP/s FMA peak",
                r.bandwidthGBs(), r.peakGflops()), x, roof));
        java.util.Map<String, List<effconv.bench.Roofline.Point>> byKind = new java.util.LinkedHashMap<>();
        // a flagged timing is drawn apart, as flagged, never among its kind's ordinary points
        r.points().forEach(p -> byKind.computeIfAbsent(p.trusted() ? p.kind() : effconv.bench.Bench.FLAGGED,
                k -> new java.util.ArrayList<>()).add(p));
        byKind.forEach((kind, ps) -> traces.add(points(kind, ps.stream().mapToDouble(p -> p.flopsPerByte()).toArray(),
                ps.stream().mapToDouble(p -> p.gflops()).toArray())));
        return new Figure(layout(title, logAxis("FLOPs per byte moved (counted)"), logAxis("GFLOP/s (measured)")),
                traces.toArray(new Trace[0]));
    }

    /** One bar per category (several bar traces in one figure stand side by side). */
    public static BarTrace bars(String name, String[] categories, double[] values) {
        notNull("categories", categories);
        notNull("values", values);
        if (categories.length == 0) {
            throw new IllegalArgumentException("categories = [] is not allowed: give at least one");
        }
        if (values.length != categories.length) {
            throw new IllegalArgumentException("values has " + values.length + " numbers, which is not allowed: "
                    + "categories has " + categories.length + " (one value per category)");
        }
        return BarTrace.builder(categories.clone(), values.clone()).name(text("name", name)).build();
    }

    /** Several columns of one table against another, one line each, named by the column. */
    public static Figure lines(Layout layout, Table table, String x, String... ys) {
        notNull("layout", layout);
        notNull("table", table);
        notNull("y columns", ys);
        if (ys.length == 0) {
            throw new IllegalArgumentException("y columns = [] is not allowed: name at least one column to draw");
        }
        double[] xs = column(table, x);
        Trace[] traces = new Trace[ys.length];
        for (int i = 0; i < ys.length; i++) {
            traces[i] = line(ys[i], xs, column(table, ys[i]));
        }
        return new Figure(layout, traces);
    }

    /**
     * A matrix as a grid of coloured cells, row 0 at the top (as the matrix is written), one cell per entry,
     * white to blue from 0 up (blue-white-red when values have both signs).
     */
    /**
     * A heatmap whose axes are ticked every {@code every} cells from 0 (0, 16, 32, … for groups of 16 channels), so
     * group boundaries are where the ticks are.
     */
    public static Figure heatmap(String title, String xTitle, String yTitle, double[][] z, int every) {
        effconv.layers.Check.positive("every", every);
        return heatmap(title, xTitle, yTitle, z, TickSettings.builder().tickMode(TickSettings.TickMode.LINEAR)
                .tick0(0).dTick(every).build());
    }

    public static Figure heatmap(String title, String xTitle, String yTitle, double[][] z) {
        return heatmap(title, xTitle, yTitle, z, (TickSettings) null);
    }

    private static Figure heatmap(String title, String xTitle, String yTitle, double[][] z, TickSettings ticks) {
        double[][] m = matrix(z);
        int rows = m.length;
        int cols = m[0].length;
        Object[] xs = new Object[cols];
        Object[] ys = new Object[rows];
        for (int j = 0; j < cols; j++) {
            xs[j] = j;
        }
        for (int i = 0; i < rows; i++) {
            ys[i] = i;
        }
        // square cells of 4 to 28 px, up to 260 px a side; room for the title, the axis titles and the colour bar
        double cell = Math.max(4, Math.min(28, Math.min(260.0 / cols, 260.0 / rows)));
        int left = 60;
        int right = 90;
        int top = 50;
        int bottom = 50;
        int width = (int) Math.round(cols * cell) + left + right;
        int height = (int) Math.round(rows * cell) + top + bottom;
        Layout layout = Layout.builder(text("title", title)).width(Math.max(width, 200)).height(height)
                .margin(Margin.builder().left(left).right(right).top(top).bottom(bottom).build())
                .xAxis(ticked(Axis.builder().title(text("x title", xTitle)).showGrid(false).showZeroLine(false), ticks)
                        .build())
                .yAxis(ticked(Axis.builder().title(text("y title", yTitle)).showGrid(false).showZeroLine(false)
                        .autoRange(Axis.AutoRange.REVERSED), ticks).build())
                .build();
        return new Figure(layout, HeatmapTrace.builder(xs, ys, m).build());
    }

    private static Axis.AxisBuilder ticked(Axis.AxisBuilder b, TickSettings ticks) {
        return ticks == null ? b : b.tickSettings(ticks);
    }

    /** Figures side by side under one title (heatmap panels share one colour scale). */
    public static FigureRow row(String title, Figure... panels) {
        return new FigureRow(text("title", title), List.of(notNull("panels", panels)));
    }

    /** Each channel of an activation [1, C, H, W] as a heatmap panel ("channel 0", …), side by side. */
    public static FigureRow channels(String title, INDArray activation) {
        notNull("activation", activation);
        long[] s = activation.shape();
        if (s.length != 4 || s[0] != 1) {
            throw new IllegalArgumentException("activation shape = " + Arrays.toString(s)
                    + " is not allowed: it must be [1, C, H, W] (one picture)");
        }
        Figure[] panels = new Figure[(int) s[1]];
        for (int c = 0; c < panels.length; c++) {
            double[][] z = new double[(int) s[2]][(int) s[3]];
            for (int i = 0; i < z.length; i++) {
                for (int j = 0; j < z[i].length; j++) {
                    z[i][j] = activation.getDouble(0, c, i, j);
                }
            }
            panels[c] = heatmap("channel " + c, "column", "row", z);
        }
        return row(title, panels);
    }

    // ---- checks ----------------------------------------------------------------------------------------------

    private static ScatterTrace.ScatterBuilder scatter(String name, double[] x, double[] y) {
        notNull("x", x);
        notNull("y", y);
        if (x.length == 0) {
            throw new IllegalArgumentException("x = [] is not allowed: give at least one point");
        }
        if (y.length != x.length) {
            throw new IllegalArgumentException("y has " + y.length + " values, which is not allowed: x has "
                    + x.length + " (one y for each x)");
        }
        return ScatterTrace.builder(x.clone(), y.clone()).name(text("name", name));
    }

    private static double[][] matrix(double[][] z) {
        notNull("values", z);
        if (z.length == 0 || z[0] == null || z[0].length == 0) {
            throw new IllegalArgumentException("values is empty, which is not allowed: give at least a 1×1 matrix");
        }
        double[][] copy = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            if (z[i] == null || z[i].length != z[0].length) {
                throw new IllegalArgumentException("values row " + i + " has " + (z[i] == null ? 0 : z[i].length)
                        + " entries, which is not allowed: every row must be as long as the first ("
                        + z[0].length + ")");
            }
            copy[i] = z[i].clone();
        }
        return copy;
    }

    private static double[] column(Table t, String name) {
        notNull("column", name);
        if (!t.columnNames().contains(name)) {
            throw new IllegalArgumentException("column = \"" + name + "\" is not allowed: the table has "
                    + t.columnNames());
        }
        if (!(t.column(name) instanceof NumericColumn<?> n)) {
            throw new IllegalArgumentException("column = \"" + name + "\" is not allowed: it must be numeric");
        }
        return n.asDoubleArray();
    }

    private static double[] doubles(String name, int[] v) {
        return Arrays.stream(notNull(name, v)).asDoubleStream().toArray();
    }

    private static double[] doubles(String name, long[] v) {
        return Arrays.stream(notNull(name, v)).asDoubleStream().toArray();
    }

    private static String text(String name, String value) {
        return notNull(name, value);
    }

    static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is null: a value is required");
        }
        return value;
    }
}
