package effconv.lessons;

import effconv.bench.Bench;
import effconv.bench.BenchSuite;
import effconv.bench.Roofline;
import effconv.layers.DepthwiseConv;
import effconv.layers.PointwiseConv;
import effconv.layers.SeparableConv;
import effconv.layers.Shape;
import effconv.models.Model;
import effconv.models.Models;
import effconv.nd.NdLayer;
import effconv.runtime.Tensors;
import effconv.plot.Plot;
import effconv.report.Compare;
import effconv.report.Rows;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Lesson 14's measurements: the blog post's separable layers, ShuffleNet's Table 8, and breakdowns by layer kind. */
public final class WhereTheTimeGoes {

    private static final Shape BLOG_INPUT = Shape.of(100, 17);
    private static final double[] SCALES = {0.5, 1, 2};

    private WhereTheTimeGoes() {
    }

    /**
     * The blog post's standard and separable layers (100 → 1000 channels, 17×17) at K = 3 and 7, timed: how many
     * times fewer MACs the separable one counts, how many times faster it ran, and the share of the saving that
     * survived as time.
     */
    public static Table blogClaim(double warmup, double measure) {
        List<BenchSuite.Case> cases = new ArrayList<>();
        for (int k : new int[] {3, 7}) {
            cases.add(new BenchSuite.Case("standard K=" + k, "standard", effconv.layers.Conv2d.of(100, 1000, k), BLOG_INPUT));
            cases.add(new BenchSuite.Case("separable K=" + k, "separable", SeparableConv.of(100, 1000, k), BLOG_INPUT));
        }
        Map<String, BenchSuite.Result> byName = new LinkedHashMap<>();
        for (BenchSuite.Result r : BenchSuite.run(cases, warmup, measure)) byName.put(r.name(), r);
        Rows rows = Rows.of("Standard vs separable, the blog post's layers (100 → 1000 channels, 17×17)",
                "K", "counted: fewer MACs ×", "measured: faster ×", "measured / counted", "check");
        for (int k : new int[] {3, 7}) {
            BenchSuite.Result std = byName.get("standard K=" + k), sep = byName.get("separable K=" + k);
            double counted = (double) std.macs() / sep.macs(), measured = std.timing().medianMs() / sep.timing().medianMs();
            rows.add(k, Math.round(10 * counted) / 10.0, Math.round(10 * measured) / 10.0,
                    Math.round(100 * measured / counted) / 100.0, Bench.check(std.timing(), sep.timing()));
        }
        return rows.table();
    }

    /** The separable pair's two halves timed alone at K = 3 and 7: each one's share of the time beside its MACs. */
    public static Table separableHalves(double warmup, double measure) {
        Rows halves = Rows.of("The separable pair's halves, timed alone (this machine, this run)",
                "K", "depthwise ms", "pointwise ms", "depthwise share of time %", "depthwise share of MACs %", "check");
        for (int k : new int[] {3, 7}) {
            DepthwiseConv dw = DepthwiseConv.of(100, k);
            PointwiseConv pw = PointwiseConv.of(100, 1000);
            Shape mid = dw.outputShape(BLOG_INPUT);
            INDArray xIn = Tensors.random(BLOG_INPUT, 1), xMid = Tensors.random(mid, 2);
            NdLayer dwNd = NdLayer.init(dw, 0), pwNd = NdLayer.init(pw, 0);
            // named as the table's rows, so a flag's line says which half of which K it doubts
            Bench.Timing dwT = Bench.time("depthwise half K=" + k, () -> dwNd.run(xIn), warmup, measure);
            Bench.Timing pwT = Bench.time("pointwise half K=" + k, () -> pwNd.run(xMid), warmup, measure);
            double dwMs = dwT.medianMs(), pwMs = pwT.medianMs();
            long dwMacs = dw.macs(BLOG_INPUT), pwMacs = pw.macs(mid);
            halves.add(k, Math.round(1000 * dwMs) / 1000.0, Math.round(1000 * pwMs) / 1000.0,
                    Math.round(1000 * dwMs / (dwMs + pwMs)) / 10.0, Math.round(1000.0 * dwMacs / (dwMacs + pwMacs)) / 10.0,
                    Bench.check(dwT, pwT));
        }
        return halves.table();
    }

    /**
     * Lesson 14, section 2, read at K = 3: how much faster the separable pair ran than the standard layer against
     * the count, and its depthwise half against the tiny depthwise call — each value from a flagged timing marked.
     */
    public static String halvesSentence(Table claim, Table halves, CountedVsMeasured.TinyCalls calls) {
        double dwMs = halves.doubleColumn("depthwise ms").get(0), callMs = calls.depthwise().medianMs();
        String claimCheck = claim.stringColumn("check").get(0), halvesCheck = halves.stringColumn("check").get(0);
        return String.format(Locale.ROOT, "This run, K = 3: the separable pair was %.1f× faster than the standard layer%s, "
                + "where the count says %.1f×; its depthwise half took %.4f ms%s, %.1f× the tiny depthwise call (%.4f ms%s).",
                claim.doubleColumn("measured: faster ×").get(0), claimCheck.equals("ok") ? "" : " (" + claimCheck + ")",
                claim.doubleColumn("counted: fewer MACs ×").get(0), dwMs,
                halvesCheck.equals("ok") ? "" : " (" + halvesCheck + ")", dwMs / callMs, callMs,
                Bench.flag(calls.depthwise()));
    }

    /**
     * ShuffleNet 0.5×, 1× and 2× (g = 3) and MobileNet v1 on a 224×224 image, timed layer by layer (ND4J), each
     * relative to ShuffleNet 1×: counted MACs, the phone's published time (Table 8, {@code t8}) and this machine's.
     */
    public static Table table8(Table t8, double warmup, double measure) {
        List<Model> nets = new ArrayList<>();
        for (double s : SCALES) nets.add(Models.shufflenetV1(3, s));
        nets.add(Models.mobilenetV1(1.0, 224));
        String[] inTable8 = {"ShuffleNet 0.5× (g = 3)", "ShuffleNet 1× (g = 3)", "ShuffleNet 2× (g = 3)", "1.0 MobileNet-224"};
        double[] ms = new double[nets.size()], published = new double[nets.size()];
        Bench.Timing[] timings = new Bench.Timing[nets.size()];
        for (int i = 0; i < nets.size(); i++) {
            NdLayer nd = NdLayer.init(nets.get(i).body(), 0);
            INDArray img = Tensors.random(nets.get(i).input(), 1);
            timings[i] = Bench.time(nets.get(i).name(), () -> nd.run(img), warmup, measure);
            ms[i] = timings[i].medianMs();
            published[i] = Compare.published(t8, "model", inTable8[i]);
        }
        Rows here = Rows.of("ShuffleNet (g = 3) and MobileNet v1: counted and measured, relative to ShuffleNet 1×",
                "model", "MACs", "MACs / 1×", "published ms / 1× (phone)", "measured ms / 1× (here)", "check");
        for (int i = 0; i < nets.size(); i++) {
            // a row's measured ratio rests on its own timing and 1×'s
            here.add(nets.get(i).name(), nets.get(i).macs(),
                    Math.round(100.0 * nets.get(i).macs() / nets.get(1).macs()) / 100.0,
                    Math.round(100 * published[i] / published[1]) / 100.0, Math.round(100 * ms[i] / ms[1]) / 100.0,
                    i == 1 ? Bench.check(timings[1]) : Bench.check(timings[i], timings[1]));
        }
        return here.table();
    }

    /**
     * Lesson 14, section 3, reading {@link #table8}: MobileNet v1 against ShuffleNet 1× in counted MACs and in time,
     * here and on the phone — computed from the run, each flagged ratio marked.
     */
    public static String table8Sentence(Table table8) {
        int mobile = table8.rowCount() - 1;
        String check = table8.stringColumn("check").get(mobile);
        double macs = table8.doubleColumn("MACs / 1×").get(mobile), here = table8.doubleColumn("measured ms / 1× (here)")
                .get(mobile), phone = table8.doubleColumn("published ms / 1× (phone)").get(mobile);
        return String.format(Locale.ROOT, "This run: MobileNet v1 counts %.2f× ShuffleNet 1×'s MACs and took %.2f× its "
                + "time here%s (on the phone: %.2f×) — %s.", macs, here, check.equals("ok") ? "" : " (" + check + ")",
                phone, here < 1 ? "faster here than the network with a quarter of its MACs"
                        : here < macs ? "slower, but by less than its MACs say" : "slower, by more than its MACs say");
    }

    /**
     * Lesson 14, section 3, reading a breakdown's batch-norm row: its layers (one call each), their summed time and
     * time per call beside the tiny convolution's call, and the rate at which they moved their bytes against the
     * copy bandwidth — whether batch norm's time is its bytes or its calls.
     */
    public static String batchNormRate(Table breakdown, CountedVsMeasured.TinyCalls calls, double bandwidthGBs) {
        Table bn = breakdown.where(breakdown.stringColumn("layer kind").isEqualTo("Batch norm"));
        if (bn.rowCount() == 0) {
            return "This network has no batch-norm layer.";
        }
        long layers = bn.longColumn("layers").get(0);
        double ms = bn.doubleColumn("ms (sum of medians)").get(0), mb = bn.doubleColumn("MB moved").get(0);
        long doubtful = bn.longColumn("doubtful timings").get(0);
        return String.format(Locale.ROOT, "%s's batch norms: %d layers, one call each, %.3f ms in all, %.4f ms a call (the "
                + "tiny convolution's call: %.4f ms%s), moving %.1f MB: %.1f GB/s, %.0f%% of the copy bandwidth (%.0f "
                + "GB/s)%s.", breakdown.name().substring(0, breakdown.name().indexOf(':')), layers, ms, ms / layers,
                calls.conv().medianMs(), Bench.flag(calls.conv()), mb, mb / ms, 100 * mb / ms / bandwidthGBs,
                bandwidthGBs, doubtful == 0 ? "" : String.format(Locale.ROOT, "; %d of the %d timings carry doubts",
                        doubtful, layers));
    }

    /** {@link #table8}'s three ShuffleNet rows as lines against the scale: counted, published and measured. */
    public static Figure table8Chart(Table table8) {
        double[] macs = new double[3], phone = new double[3], here = new double[3];
        for (int i = 0; i < 3; i++) {
            macs[i] = table8.doubleColumn("MACs / 1×").get(i);
            phone[i] = table8.doubleColumn("published ms / 1× (phone)").get(i);
            here[i] = table8.doubleColumn("measured ms / 1× (here)").get(i);
        }
        return new Figure(Plot.layout("Measured time against counted MACs, relative to ShuffleNet 1×",
                Plot.logAxis("ShuffleNet scale"), Plot.logAxis("relative to 1×")),
                Plot.line("counted MACs", SCALES, macs), Plot.line("published time (phone), relative to 1×", SCALES, phone),
                Plot.dashed("measured time (here), relative to 1×", SCALES, here));
    }

    /**
     * One sentence from two breakdowns ({@link effconv.bench.Breakdown#time}): the share of each network's summed
     * time taken by kinds of layer that count under 5% of its MACs each, beside their share of the MACs.
     */
    public static String lightLayers(Table shuffleBreakdown, Table mobileBreakdown) {
        double[] sh = light(shuffleBreakdown), mb = light(mobileBreakdown);
        long doubtful = (long) (shuffleBreakdown.longColumn("doubtful timings").sum()
                + mobileBreakdown.longColumn("doubtful timings").sum());
        return String.format(Locale.ROOT, "This run: kinds of layer with under 5%% of the MACs each took %.0f%% of "
                        + "ShuffleNet 1×'s summed time (for %.1f%% of its MACs) and %.0f%% of MobileNet's (for %.1f%%); the "
                        + "summed layer times: %.1f ms and %.1f ms%s.", sh[0], sh[1], mb[0], mb[1],
                shuffleBreakdown.doubleColumn("ms (sum of medians)").sum(),
                mobileBreakdown.doubleColumn("ms (sum of medians)").sum(),
                doubtful == 0 ? "" : String.format(Locale.ROOT, " (%d layer timings of the two carry doubts: see the "
                        + "tables' last column)", doubtful));
    }

    private static double[] light(Table t) {
        double time = 0, macs = 0;
        for (int i = 0; i < t.rowCount(); i++) {
            if (t.doubleColumn("MACs %").get(i) < 5) {
                time += t.doubleColumn("time %").get(i);
                macs += t.doubleColumn("MACs %").get(i);
            }
        }
        return new double[] {time, macs};
    }
}
