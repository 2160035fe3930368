package effconv;

import effconv.layers.Check;
import effconv.layers.Shape;
import effconv.nd.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One or more matrices drawn as coloured grids side by side, with a shared colour scale: which input channels an
 * output channel sees, each channel's output map, which pixels a dilated kernel touches. Like {@link Chart}, it is
 * drawn here (PNG or SVG) and needs nothing from the network.
 */
public final class Heatmap {

    private record Panel(String label, double[][] values) {
    }

    private final String title;
    private final List<Panel> panels = new ArrayList<>();
    private String xLabel = "";
    private String yLabel = "";

    private Heatmap(String title) {
        this.title = Check.notNull("title", title);
    }

    public static Heatmap of(String title, double[][] values) {
        return new Heatmap(title).panel("", values);
    }

    public static Heatmap of(String title) {
        return new Heatmap(title);
    }

    /** Channel {@code c} of an activation [1, C, H, W] (or every channel, one panel each, with {@link #channels}). */
    public static double[][] channel(INDArray activation, int c) {
        Shape s = Tensors.shapeOf(activation);
        if (c < 0 || c >= s.channels()) {
            throw new IllegalArgumentException("channel = " + c + " is not allowed: it must be 0 to " + (s.channels() - 1));
        }
        double[][] out = new double[s.height()][s.width()];
        for (int i = 0; i < s.height(); i++) {
            for (int j = 0; j < s.width(); j++) {
                out[i][j] = activation.getDouble(0, c, i, j);
            }
        }
        return out;
    }

    /** Every channel of an activation [1, C, H, W] as its own panel. */
    public static Heatmap channels(String title, INDArray activation) {
        Heatmap h = new Heatmap(title);
        for (int c = 0; c < Tensors.shapeOf(activation).channels(); c++) {
            h.panel("channel " + c, channel(activation, c));
        }
        return h;
    }

    public Heatmap panel(String label, double[][] values) {
        Check.notNull("values", values);
        if (values.length == 0 || values[0].length == 0) {
            throw new IllegalArgumentException("values is empty, which is not allowed: give at least a 1×1 matrix");
        }
        for (double[] row : values) {
            if (row.length != values[0].length) {
                throw new IllegalArgumentException("values rows have " + row.length + " and " + values[0].length
                        + " columns, which is not allowed: every row must be as long as the first");
            }
        }
        if (panels.size() >= 16) {
            throw new IllegalArgumentException("panels = 17 is not allowed: at most 16 side by side");
        }
        double[][] copy = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            copy[i] = values[i].clone();
        }
        panels.add(new Panel(Check.notNull("label", label), copy));
        return this;
    }

    public Heatmap x(String label) {
        this.xLabel = label;
        return this;
    }

    public Heatmap y(String label) {
        this.yLabel = label;
        return this;
    }

    private int[] size() {
        int rows = panels.stream().mapToInt(p -> p.values.length).max().orElse(1);
        int cols = panels.stream().mapToInt(p -> p.values[0].length).max().orElse(1);
        // cells up to 24 px, panels up to 300 px wide
        double cell = Math.max(2, Math.min(24, Math.min(300.0 / cols, 300.0 / rows)));
        int panelW = (int) Math.ceil(cols * cell);
        int panelH = (int) Math.ceil(rows * cell);
        int w = Math.max(360, 70 + panels.size() * (panelW + 16) + 60);
        int h = 60 + panelH + 50;
        return new int[] {w, h, panelW, panelH};
    }

    public String toSvg() {
        int[] s = size();
        SvgCanvas c = new SvgCanvas(s[0], s[1]);
        draw(c, s);
        return c.finish();
    }

    public byte[] toPng(int scale) {
        Check.positive("scale", scale);
        Check.atMost("scale", scale, 4, "larger images are not useful in a notebook");
        int[] s = size();
        PngCanvas c = new PngCanvas(s[0], s[1], scale);
        draw(c, s);
        return c.finish();
    }

    /** The nominal width in CSS pixels. */
    public int width() {
        return size()[0];
    }

    private void draw(Canvas c, int[] s) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("panels = [] is not allowed: add one with panel(…)");
        }
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Panel p : panels) {
            for (double[] row : p.values) {
                for (double v : row) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        boolean diverging = lo < 0 && hi > 0;
        double top = diverging ? Math.max(-lo, hi) : hi;
        double bottom = diverging ? -top : Math.min(lo, 0);
        c.text(s[0] / 2.0, 22, title, Canvas.Anchor.MIDDLE, 15, true, false);
        int x0 = 70;
        for (Panel p : panels) {
            int rows = p.values.length;
            int cols = p.values[0].length;
            double cell = Math.min((double) s[2] / cols, (double) s[3] / rows);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    c.fill(x0 + j * cell, 45 + i * cell, cell + 0.3, cell + 0.3,
                            color(p.values[i][j], bottom, top, diverging));
                }
            }
            c.rect(x0, 45, cols * cell, rows * cell, "#333333");
            if (!p.label.isEmpty()) {
                c.text(x0 + cols * cell / 2, 45 + rows * cell + 16, p.label, Canvas.Anchor.MIDDLE, 11, false, false);
            }
            x0 += s[2] + 16;
        }
        c.text(70 + (s[0] - 130) / 2.0, s[1] - 8, xLabel, Canvas.Anchor.MIDDLE, 12, false, false);
        c.text(18, 45 + s[3] / 2.0, yLabel, Canvas.Anchor.MIDDLE, 12, false, true);
        // colour scale
        int sx = s[0] - 40;
        for (int i = 0; i < 50; i++) {
            double v = top - (top - bottom) * i / 49.0;
            c.fill(sx, 45 + i * s[3] / 50.0, 12, s[3] / 50.0 + 0.5, color(v, bottom, top, diverging));
        }
        c.text(sx + 6, 40, Chart.number(top), Canvas.Anchor.MIDDLE, 10, false, false);
        c.text(sx + 6, 45 + s[3] + 12, Chart.number(bottom), Canvas.Anchor.MIDDLE, 10, false, false);
    }

    /** White to blue for values from 0 up; blue–white–red when values have both signs. */
    private static String color(double v, double lo, double hi, boolean diverging) {
        if (!Double.isFinite(v)) {
            return "#cccccc";
        }
        double t = hi == lo ? 0 : (v - lo) / (hi - lo);
        int r, g, b;
        if (diverging) {
            double u = 2 * t - 1; // -1 .. 1
            if (u < 0) {
                r = (int) (255 + u * (255 - 33)); g = (int) (255 + u * (255 - 102)); b = (int) (255 + u * (255 - 172));
            } else {
                r = (int) (255 - u * (255 - 178)); g = (int) (255 - u * (255 - 24)); b = (int) (255 - u * (255 - 43));
            }
        } else {
            r = (int) (255 - t * (255 - 8)); g = (int) (255 - t * (255 - 48)); b = (int) (255 - t * (255 - 107));
        }
        return String.format(Locale.ROOT, "#%02x%02x%02x", clamp(r), clamp(g), clamp(b));
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    @Override
    public String toString() {
        return "Heatmap(\"" + title + "\", " + panels.size() + " panel" + (panels.size() == 1 ? "" : "s") + ")";
    }
}
