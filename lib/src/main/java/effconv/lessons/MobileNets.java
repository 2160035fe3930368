package effconv.lessons;

import effconv.layers.Conv2d;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.models.InvertedResidual;
import effconv.models.Model;
import effconv.models.Models;
import effconv.report.Compare;
import effconv.report.Course;
import effconv.report.Kinds;
import effconv.plot.Plot;
import effconv.report.Rows;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.traces.Trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.Table;

/**
 * Lessons 10 to 12's tables and charts: MobileNet v1's separable blocks, MobileNetV2's inverted residuals, and where
 * the parameters and MACs of such networks go.
 */
public final class MobileNets {

    private MobileNets() {
    }

    private static double top1(String csv, String... where) {
        String[] pairs = java.util.Arrays.copyOf(where, where.length + 2);
        pairs[where.length] = "figure";
        pairs[where.length + 1] = "top-1 accuracy";
        return Compare.published(Course.data(csv), pairs);
    }

    /**
     * MobileNet v1's Table 4: what separability costs — the full-convolution MobileNet against the separable one,
     * their counted MACs and parameters beside the published top-1 accuracy.
     */
    public static String separabilityCost() {
        Model conv = Models.convMobilenetV1(), sep = Models.mobilenetV1(1, 224);
        double convTop1 = top1("mobilenet-v1-table4.csv", "model", "Conv MobileNet");
        double sepTop1 = top1("mobilenet-v1-table4.csv", "model", "MobileNet");
        return String.format(Locale.ROOT, "Conv MobileNet: %,.0f million MACs, %.1f million params, %.1f%% top-1; "
                + "MobileNet: %,.0f, %.1f, %.1f%% — %.1f× fewer MACs and %.1f× fewer parameters for %.1f points of "
                + "top-1 accuracy", conv.macs() / 1e6, conv.params() / 1e6, convTop1, sep.macs() / 1e6,
                sep.params() / 1e6, sepTop1, (double) conv.macs() / sep.macs(), (double) conv.params() / sep.params(),
                convTop1 - sepTop1);
    }

    private static final String[] ALPHAS = {"0.25", "0.5", "0.75", "1.0"};

    /** Published top-1 (Tables 4 and 6) and counted million MACs of MobileNet v1 at α = 0.25 … 1, 224×224. */
    private static double[][] widths() {
        double[] top1 = new double[ALPHAS.length], macs = new double[ALPHAS.length];
        for (int i = 0; i < ALPHAS.length; i++) {
            double a = Double.parseDouble(ALPHAS[i]);
            top1[i] = a == 1.0 ? top1("mobilenet-v1-table4.csv", "model", "MobileNet")
                    : top1("mobilenet-v1-table6.csv", "alpha", ALPHAS[i]);
            macs[i] = Models.mobilenetV1(a, 224).macs() / 1e6;
        }
        return new double[][] {macs, top1};
    }

    /** The width multiplier's trade: published top-1 against the counted MACs, α = 0.25 … 1. */
    public static Figure accuracyAgainstWidth() {
        double[][] w = widths();
        return new Figure(Plot.layout("Width multiplier α = 0.25 … 1: published top-1 against computed MACs",
                "million MACs (computed)", "ImageNet top-1 %, published"), Plot.line("α = 0.25, 0.5, 0.75, 1", w[0], w[1]));
    }

    /** What each step down in α keeps of the MACs and loses in published top-1 accuracy. */
    public static String widthSteps() {
        double[][] w = widths();
        List<String> steps = new ArrayList<>();
        for (int i = ALPHAS.length - 1; i > 0; i--) {
            steps.add(String.format(Locale.ROOT, "α = %s → %s: %.0f%% of the MACs, %.1f points of top-1 lost",
                    ALPHAS[i], ALPHAS[i - 1], 100 * w[0][i - 1] / w[0][i], w[1][i] - w[1][i - 1]));
        }
        return String.join("; ", steps) + String.format(Locale.ROOT,
                " — α = 0.25 keeps %.0f%% of α = 1's MACs and loses %.1f points", 100 * w[0][0] / w[0][ALPHAS.length - 1],
                w[1][ALPHAS.length - 1] - w[1][0]);
    }

    /**
     * Each depthwise-separable block of a MobileNet v1 against a full 3×3 convolution doing the same job (same
     * channels, same output size), beside 1 / (1/N + 1/9).
     */
    public static Table separableBlocks(Model mobilenet) {
        Rows perBlock = Rows.of("Standard vs depthwise-separable, block by block (" + mobilenet.name() + ")", "block", "M", "N", "D_F (output)", "standard / separable MACs",
                "1 / (1/N + 1/9)");
        Layer.Leaf dw = null;
        for (Layer.Leaf leaf : mobilenet.body().leaves(mobilenet.input())) {
            String kind = Kinds.of(leaf.layer());
            if (kind.startsWith("Conv DW")) dw = leaf;            // a block opens with its depthwise half …
            if (kind.equals("Conv 1×1") && dw != null) {          // … and closes with its pointwise half
                int m = leaf.input().channels(), n = leaf.output().channels(), f = leaf.output().height();
                long std = Conv2d.of(m, n, 3).padding(1).macs(Shape.of(m, f));   // same job; stride folded into D_F
                long sep = dw.layer().macs(dw.input()) + leaf.layer().macs(leaf.input());
                perBlock.add(leaf.path().replace("/pw", ""), m, n, f, Math.round(1000.0 * std / sep) / 1000.0,
                        Math.round(1000 / (1.0 / n + 1.0 / 9)) / 1000.0);
            }
        }
        return perBlock.table();
    }

    /** Every inverted residual block of a MobileNetV2: its input, t, N, stride, and MACs by formula and counted. */
    public static Table invertedResidualBlocks(Model v2) {
        Rows rows = Rows.of("MobileNetV2: block cost, formula vs layer-by-layer count",
                "block", "input", "t", "N", "stride", "formula MACs", "counted MACs");
        Shape s = v2.input();
        for (Layer l : ((Sequence) v2.body()).layers()) {
            if (l instanceof Named named && named.layer() instanceof InvertedResidual ir) {
                rows.add(named.name(), s.toString(), ir.expansion(), ir.outChannels(), ir.stride(), ir.formulaMacs(s),
                        ir.macs(s));
            }
            s = l.outputShape(s);
        }
        return rows.table();
    }

    /** The share of parameters and of MACs each kind of layer holds (Kinds, parameters with batch norm), per network. */
    public static Figure sharesByKind(Model... nets) {
        String[] kinds = {"Conv 1×1", "Conv DW 3×3", "Conv 3×3", "Fully connected", "Batch norm"};
        List<Trace> shares = new ArrayList<>();
        for (Model net : nets) {
            Table byKind = Kinds.table(net, false);
            double[] params = new double[kinds.length], macs = new double[kinds.length];
            for (int i = 0; i < kinds.length; i++) {
                Table one = byKind.where(byKind.stringColumn("layer type").isEqualTo(kinds[i]));
                params[i] = one.rowCount() == 0 ? 0 : one.doubleColumn("params %").get(0);
                macs[i] = one.rowCount() == 0 ? 0 : one.doubleColumn("MACs %").get(0);
            }
            shares.add(Plot.bars(net.name() + " params", kinds, params));
            shares.add(Plot.bars(net.name() + " MACs", kinds, macs));
        }
        return new Figure(Plot.layout("Where the parameters and MACs go, by layer type", "layer type", "share, %"),
                shares.toArray(Trace[]::new));
    }
}
