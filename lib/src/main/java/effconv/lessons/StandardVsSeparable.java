package effconv.lessons;

import effconv.layers.Conv2d;
import effconv.layers.SeparableConv;
import effconv.layers.Shape;
import effconv.plot.Plot;
import effconv.report.Rows;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/** Lesson 1's sweeps: the standard convolution against the depthwise-separable one. */
public final class StandardVsSeparable {

    private StandardVsSeparable() {
    }

    /**
     * Parameters and MACs of both layers, C → N on an H×H input without padding, for K = 1 … min(11, H), with the
     * counted MAC ratio beside 1/N + 1/K².
     */
    public static Table byKernelSize(int c, int n, int h) {
        Shape input = Shape.of(c, h);
        Rows byK = Rows.of("Standard vs separable against kernel size K (C = " + c + ", N = " + n + ", " + h + "×" + h
                + " input)", "K", "standard params", "separable params", "standard MACs", "separable MACs",
                "MAC ratio", "1/N + 1/K²");
        for (int k = 1; k <= Math.min(11, h); k++) {
            Conv2d s = Conv2d.of(c, n, k);
            SeparableConv d = SeparableConv.of(c, n, k);
            byK.add(k, s.params(), d.params(), s.macs(input), d.macs(input), (double) d.macs(input) / s.macs(input),
                    1.0 / n + 1.0 / (k * k));
        }
        return byK.table();
    }

    /**
     * The counted separable/standard MAC ratio against K (a table of {@link #byKernelSize}), with 1/N + 1/K² dashed
     * over it: the formula drawn on the count.
     */
    public static Figure ratioAgainstKernelSize(Table byK) {
        double[] k = byK.numberColumn("K").asDoubleArray();
        return new Figure(Plot.layout("Separable / standard cost against K", "kernel size K", "cost ratio"),
                Plot.line("counted MAC ratio", k, byK.numberColumn("MAC ratio").asDoubleArray()),
                Plot.dashed("1/N + 1/K²", k, byK.numberColumn("1/N + 1/K²").asDoubleArray()));
    }

    /**
     * The counted separable/standard MAC ratio against the output channels N = 1 … 4096 (C → N, K×K, on an H×H
     * input), with 1/N + 1/K² and its limit 1/K² dashed, both axes logarithmic.
     */
    public static Figure ratioAgainstOutputChannels(int c, int k, int h) {
        Shape input = Shape.of(c, h);
        int[] ns = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
        double[] ratio = new double[ns.length], formula = new double[ns.length], limit = new double[ns.length];
        for (int i = 0; i < ns.length; i++) {
            ratio[i] = (double) SeparableConv.of(c, ns[i], k).macs(input) / Conv2d.of(c, ns[i], k).macs(input);
            formula[i] = 1.0 / ns[i] + 1.0 / (k * k);
            limit[i] = 1.0 / (k * k);
        }
        return new Figure(Plot.layout("Separable / standard cost against output channels N (K = " + k + ")",
                Plot.logAxis("output channels N"), Plot.logAxis("cost ratio")),
                Plot.line("counted MAC ratio", ns, ratio), Plot.dashed("1/N + 1/K²", ns, formula),
                Plot.dashed("1/K² (the limit)", ns, limit));
    }

    /** How far the separable/standard MAC ratio sits above its limit 1/K², for N = 10, 100, 1000 and 10,000. */
    public static Table gapToLimit(int c, int k, int h) {
        Shape input = Shape.of(c, h);
        Rows gap = Rows.of("Separable / standard MACs against its limit 1/K² (K = " + k + ")",
                "N", "ratio", "1/K²", "above the limit, %", "K²/N, %");
        for (int n : new int[] {10, 100, 1000, 10000}) {
            double r = (double) SeparableConv.of(c, n, k).macs(input) / Conv2d.of(c, n, k).macs(input);
            gap.add(n, Math.round(1e5 * r) / 1e5, Math.round(1e5 / (k * k)) / 1e5,
                    Math.round(1000 * (r * k * k - 1)) / 10.0, Math.round(1000.0 * k * k / n) / 10.0);
        }
        return gap.table();
    }
}
