package effconv.lessons;

import effconv.bench.Bench;
import effconv.fused.FusedNet;
import effconv.layers.Format;
import effconv.layers.GroupedConv;
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
import java.util.Map;
import tech.tablesaw.plotly.traces.Trace;

/**
 * Lesson 15's measurements: a network compiled with each of the engine's steps left out, a grouped layer on both
 * paths, and ShuffleNet's scales on both paths — each a table, with the chart and the sentence the lesson reads
 * off it. Each table has a check column naming the timings flagged as not trusted, and the charts and sentences
 * mark every value they take from one.
 */
public final class InferenceEngine {

    private static final double[] SCALES = {0.5, 1, 2};

    private InferenceEngine() {
    }

    /**
     * {@code net} compiled with every step, with each step left out alone, and with none; each timed on the same
     * weights and input: primitives, median, p10, p90, and time relative to every step.
     */
    public static Table steps(Model net, int threads, double warmup, double measure) {
        Map<String, FusedNet.Steps> variants = new LinkedHashMap<>();
        variants.put("every step", FusedNet.Steps.all());
        variants.put("batch norm not folded", FusedNet.Steps.all().foldBatchNorm(false));
        variants.put("ReLU and sums not fused", FusedNet.Steps.all().fuseActivations(false));
        variants.put("layouts not kept", FusedNet.Steps.all().keepLayouts(false));
        variants.put("one primitive per group", FusedNet.Steps.all().groupedPrimitive(false));
        variants.put("no step", FusedNet.Steps.none());
        INDArray image = Tensors.random(net.input(), 1);
        Rows steps = Rows.of(String.format("%s compiled with and without each step (%d threads)", net.name(), threads),
                "compiled", "primitives", "median ms", "p10 ms", "p90 ms", "time / every step", "check");
        double every = 0;
        for (var v : variants.entrySet()) {
            FusedNet compiled = FusedNet.compile(net, 0, v.getValue());
            Bench.Timing t = Bench.time(v.getKey(), () -> compiled.run(image), warmup, measure);
            if (every == 0) every = t.medianMs();
            steps.add(v.getKey(), compiled.primitiveCount(), Format.round(t.medianMs(), 3), Format.round(t.p10Ms(), 3),
                    Format.round(t.p90Ms(), 3), Format.round(t.medianMs() / every, 2), Bench.check(t));
        }
        return steps.table();
    }

    /** {@link #steps}'s medians as bars. */
    public static Figure stepsChart(Table steps, String netName) {
        return new Figure(Plot.layout("What each step buys: " + netName + ", fused, one step left out at a time",
                "compiled", "median ms"), Plot.bars("median ms", steps.stringColumn("compiled").asObjectArray(),
                steps.doubleColumn("median ms").asDoubleArray()));
    }

    /**
     * What {@link #steps} measured, in a sentence: each step's factor; which are noise — a left-out step whose runs'
     * p10–p90 range overlaps every step's; which bought most; and which rows rest on a flagged timing.
     */
    public static String stepsSentence(Table steps) {
        int n = steps.rowCount();
        double[] ms = steps.doubleColumn("median ms").asDoubleArray(), p10 = steps.doubleColumn("p10 ms").asDoubleArray(),
                p90 = steps.doubleColumn("p90 ms").asDoubleArray();
        String[] names = steps.stringColumn("compiled").asObjectArray(), checks = steps.stringColumn("check").asObjectArray();
        int worst = 1;
        for (int i = 2; i < n - 1; i++) if (ms[i] > ms[worst]) worst = i;
        StringBuilder each = new StringBuilder();
        for (int i = 1; i < n - 1; i++) {
            boolean overlap = p10[i] <= p90[0] && p10[0] <= p90[i];
            each.append(String.format(java.util.Locale.ROOT, "%s %.2f×%s%s%s", names[i], ms[i] / ms[0],
                    overlap ? " (its p10–p90 range overlaps every step's: noise)" : "", flagged(checks[i], checks[0]),
                    i < n - 2 ? ", " : ""));
        }
        return String.format(java.util.Locale.ROOT, "This run, each step left out alone, against every step taken: %s. "
                + "The step that bought most here: the one behind \"%s\". With no step at all the network took %.2f× as "
                + "long as with every step%s.", each, names[worst], ms[n - 1] / ms[0], flagged(checks[n - 1], checks[0]));
    }

    /** " (⚠ … flagged: not trusted)" for a value computed from rows whose checks are not "ok", else nothing. */
    private static String flagged(String... checks) {
        List<String> bad = new ArrayList<>();
        for (String c : checks) if (!c.equals("ok") && !bad.contains(c)) bad.add(c);
        return bad.isEmpty() ? "" : " (" + String.join("; ", bad) + ")";
    }

    /**
     * Lesson 5's layer (96 → 256, 5×5, 27×27, padding 2) with each group count, timed on the ND4J path (g calls) and
     * the fused path (one primitive), with the oneDNN kernel the fused primitive ran.
     */
    public static Table groupedOnBothPaths(int[] groupCounts, double warmup, double measure) {
        Shape input = Shape.of(96, 27);
        INDArray x = Tensors.random(input, 1);
        Rows sweep = Rows.of("Grouped convolution 96 → 256, K = 5, 27×27: counted and measured (this machine, this run)",
                "g", "MACs", "ND4J ms", "fused ms", "ND4J / fused", "fused kernel", "check");
        for (int g : groupCounts) {
            GroupedConv layer = GroupedConv.of(96, 256, 5, g).padding(2);
            NdLayer nd = NdLayer.init(layer, 0);
            FusedNet fused = FusedNet.compile(layer, input, 0);
            Bench.Timing ndT = Bench.time("ND4J g=" + g, () -> nd.run(x), warmup, measure);
            Bench.Timing fusedT = Bench.time("fused g=" + g, () -> fused.run(x), warmup, measure);
            sweep.add(g, layer.macs(input), ndT.medianMs(), fusedT.medianMs(), ndT.medianMs() / fusedT.medianMs(),
                    fused.kernels(), Bench.check(ndT, fusedT));
        }
        return sweep.table();
    }

    /** {@link #groupedOnBothPaths} as lines, beside the time the fused g = 1 would take if time followed the MACs. */
    public static Figure groupedChart(Table sweep) {
        double[] g = sweep.longColumn("g").asDoubleArray(), nd = sweep.doubleColumn("ND4J ms").asDoubleArray(),
                fused = sweep.doubleColumn("fused ms").asDoubleArray(), byCount = new double[g.length];
        for (int i = 0; i < g.length; i++) byCount[i] = fused[0] / g[i];
        List<Trace> traces = new ArrayList<>(List.of(Plot.line("ND4J path (g calls)", g, nd),
                Plot.line("fused path (one primitive)", g, fused),
                Plot.dashed("if time followed the MACs (from fused g = 1)", g, byCount)));
        // a row resting on a flagged timing is marked on both lines, so it is not read as an ordinary point
        String[] checks = sweep.stringColumn("check").asObjectArray();
        List<double[]> marks = new ArrayList<>();
        for (int i = 0; i < g.length; i++) {
            if (!checks[i].equals("ok")) {
                marks.add(new double[] {g[i], nd[i]});
                marks.add(new double[] {g[i], fused[i]});
            }
        }
        if (!marks.isEmpty()) {
            traces.add(Plot.points(Bench.FLAGGED, marks.stream().mapToDouble(m -> m[0]).toArray(),
                    marks.stream().mapToDouble(m -> m[1]).toArray()));
        }
        return new Figure(Plot.layout("Grouped convolution: time against groups, both paths", Plot.logAxis("groups g"),
                Plot.logAxis("median ms")), traces.toArray(Trace[]::new));
    }

    /** Where each path was fastest, and every g at which the fused path was slower than the g before, with kernels. */
    public static String groupedSentence(Table sweep) {
        long[] g = sweep.longColumn("g").asLongArray();
        double[] nd = sweep.doubleColumn("ND4J ms").asDoubleArray(), fused = sweep.doubleColumn("fused ms").asDoubleArray();
        String[] kernels = sweep.stringColumn("fused kernel").asObjectArray();
        String[] checks = sweep.stringColumn("check").asObjectArray();
        int ndBest = 0, fusedBest = 0, last = g.length - 1;
        for (int i = 1; i < g.length; i++) {
            if (nd[i] < nd[ndBest]) ndBest = i;
            if (fused[i] < fused[fusedBest]) fusedBest = i;
        }
        StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "This run: the ND4J path was fastest at "
                + "g = %d (%.2f ms%s) and took %.2f ms at g = %d%s; the fused path was fastest at g = %d (%.2f ms%s).",
                g[ndBest], nd[ndBest], flagged(checks[ndBest]), nd[last], g[last], flagged(checks[last]), g[fusedBest],
                fused[fusedBest], flagged(checks[fusedBest])));
        for (int i = 1; i < g.length; i++) {
            if (fused[i] <= fused[i - 1]) continue;
            s.append(String.format(java.util.Locale.ROOT, " The fused path was slower at g = %d than at g = %d (%.2f "
                    + "against %.2f ms%s)", g[i], g[i - 1], fused[i], fused[i - 1], flagged(checks[i], checks[i - 1])));
            s.append(kernels[i].equals(kernels[i - 1]) ? String.format(", with the same kernel (%s).", kernels[i])
                    : String.format(": oneDNN ran %s there, %s at g = %d.", kernels[i], kernels[i - 1], g[i - 1]));
        }
        return s.toString();
    }

    /**
     * ShuffleNet 0.5×, 1× and 2× (g = 3), each relative to its own 1×: counted MACs, the phone's published time (Table
     * 8, {@code t8}), the ND4J path and the fused path; and the fused milliseconds.
     */
    public static Table table8(Table t8, double warmup, double measure) {
        double[] macs = new double[3], published = new double[3], nd = new double[3], fused = new double[3];
        String[] checks = new String[3];
        for (int i = 0; i < 3; i++) {
            Model shuffle = Models.shufflenetV1(3, SCALES[i]);
            INDArray in = Tensors.random(shuffle.input(), 1);
            NdLayer ndNet = NdLayer.init(shuffle.body(), 0);
            FusedNet fusedNet = FusedNet.compile(shuffle, 0);
            macs[i] = shuffle.macs();
            published[i] = Compare.published(t8, "scale", Format.plain(SCALES[i]), "figure", "ms per image");
            String scale = Format.plain(SCALES[i]) + "×";
            Bench.Timing ndT = Bench.time("ND4J " + scale, () -> ndNet.run(in), warmup, measure);
            Bench.Timing fusedT = Bench.time("fused " + scale, () -> fusedNet.run(in), warmup, measure);
            nd[i] = ndT.medianMs();
            fused[i] = fusedT.medianMs();
            checks[i] = Bench.check(ndT, fusedT);
        }
        Rows table8 = Rows.of("ShuffleNet (g = 3): counted and measured, each relative to its own 1×",
                "scale", "MACs / 1×", "phone (published) / 1×", "ND4J path / 1×", "fused path / 1×", "fused ms", "check");
        for (int i = 0; i < 3; i++) {
            table8.add(Format.plain(SCALES[i]) + "×", macs[i] / macs[1], published[i] / published[1], nd[i] / nd[1],
                    fused[i] / fused[1], fused[i], checks[i]);
        }
        return table8.table();
    }

    /**
     * How much each of {@link #table8}'s columns grew from 0.5× to 1× and from 1× to 2×, in a sentence; the measured
     * growths name any flagged timing they rest on.
     */
    public static String table8Sentence(Table table8) {
        String[] checks = table8.stringColumn("check").asObjectArray();
        return String.format("From 0.5× to 1× and from 1× to 2×, the MACs grew %s; the phone's time %s; the ND4J path's "
                + "%s; the fused path's %s%s.", growth(table8, "MACs / 1×"), growth(table8, "phone (published) / 1×"),
                growth(table8, "ND4J path / 1×"), growth(table8, "fused path / 1×"),
                flagged(checks[0], checks[1], checks[2]));
    }

    private static String growth(Table t, String column) {
        double[] v = t.doubleColumn(column).asDoubleArray();
        return String.format("%.1f× and %.1f×", v[1] / v[0], v[2] / v[1]);
    }
}
