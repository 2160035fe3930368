package effconv.lessons;

import effconv.bench.Bench;
import effconv.bench.BenchSuite;
import effconv.bench.Machine;
import effconv.layers.Conv2d;
import effconv.layers.DepthwiseConv;
import effconv.layers.Layer;
import effconv.layers.Shape;
import effconv.nd.NdLayer;
import effconv.runtime.Tensors;
import effconv.plot.Plot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.traces.Trace;

/**
 * Lesson 13's readings of the timed suite: one case by name, the cost of one call, and the grouped sweep as a chart
 * and a sentence. A timing flagged as not trusted is marked wherever it is used: in the chart, and in the sentence.
 */
public final class CountedVsMeasured {

    private CountedVsMeasured() {
    }

    /** The result of the case with that name. */
    public static BenchSuite.Result result(List<BenchSuite.Result> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("name = \"" + name + "\" is not allowed: the cases are "
                        + results.stream().map(BenchSuite.Result::name).toList()));
    }

    /**
     * The cost of one call on the ND4J path: a 3×3 convolution 8 → 8 and a 3×3 depthwise one of 8 channels, both on
     * 8×8 — almost no arithmetic, so their time is the call. The sentence sets them beside their arithmetic at the
     * measured peak and the suite's depthwise layer beside the tiny depthwise call, and says which timings it used
     * were flagged.
     */
    public record CallCost(Bench.Timing conv, Bench.Timing depthwise, String sentence) {
        /** One call of the tiny convolution, ms (what the grouped sweep's sentence multiplies by g). */
        public double convMs() {
            return conv.medianMs();
        }

        @Override
        public String toString() {
            return sentence;
        }
    }

    /** One call of each tiny layer, timed: a 3×3 convolution 8 → 8 and a 3×3 depthwise one, both on 8×8. */
    public record TinyCalls(Bench.Timing conv, Bench.Timing depthwise) {
        public static final Shape INPUT = Shape.of(8, 8);
        public static final Conv2d CONV = Conv2d.of(8, 8, 3).padding(1);
        public static final DepthwiseConv DEPTHWISE = DepthwiseConv.of(8, 3).padding(1);

        public static TinyCalls time(double warmup, double measure) {
            return new TinyCalls(timeOne("tiny conv", CONV, INPUT, warmup, measure),
                    timeOne("tiny depthwise", DEPTHWISE, INPUT, warmup, measure));
        }

        /** "one call of the tiny convolution 0.0399 ms, of the tiny depthwise one 0.0368 ms", flags marked. */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "one call of the tiny convolution %.4f ms%s, of the tiny depthwise one "
                    + "%.4f ms%s", conv.medianMs(), Bench.flag(conv), depthwise.medianMs(), Bench.flag(depthwise));
        }
    }

    public static CallCost callCost(List<BenchSuite.Result> results, Machine machine, double warmup, double measure) {
        Shape in = TinyCalls.INPUT;
        Conv2d tiny = TinyCalls.CONV;
        DepthwiseConv tinyDw = TinyCalls.DEPTHWISE;
        TinyCalls calls = TinyCalls.time(warmup, measure);
        Bench.Timing conv = calls.conv(), dw = calls.depthwise();
        BenchSuite.Result suiteDw = result(results, "depthwise K=3");
        String sentence = String.format(Locale.ROOT, "A convolution of %,d MACs took %.4f ms%s and a depthwise one of %,d "
                + "MACs %.4f ms%s (at the peak: %.6f and %.6f ms): the cost of one call of each kind on this path.%n"
                + "The suite's depthwise K=3 layer (%,d MACs, %.0f× the tiny one's) took %.4f ms%s: %.1f× one tiny "
                + "depthwise call.", tiny.macs(in), conv.medianMs(), Bench.flag(conv), tinyDw.macs(in), dw.medianMs(), Bench.flag(dw),
                2.0 * tiny.macs(in) / machine.peakGflops() / 1e6, 2.0 * tinyDw.macs(in) / machine.peakGflops() / 1e6,
                suiteDw.macs(), (double) suiteDw.macs() / tinyDw.macs(in), suiteDw.timing().medianMs(),
                Bench.flag(suiteDw.timing()), suiteDw.timing().medianMs() / dw.medianMs());
        return new CallCost(conv, dw, sentence);
    }

    private static Bench.Timing timeOne(String name, Layer layer, Shape in, double warmup, double measure) {
        NdLayer nd = NdLayer.init(layer, 0);
        INDArray x = Tensors.random(in, 1);
        return Bench.time(name, () -> nd.run(x), warmup, measure);
    }

    /**
     * The grouped cases' measured time against their counted MACs, beside time proportional to MACs from g = 1; a
     * case whose timing was flagged is also drawn as a marker of its own, so it is not read as an ordinary point.
     */
    public static Figure groupedChart(List<BenchSuite.Result> results) {
        List<BenchSuite.Result> grouped = grouped(results);
        double[] macs = grouped.stream().mapToDouble(r -> r.macs() / 1e6).toArray();
        double[] ms = grouped.stream().mapToDouble(r -> r.timing().medianMs()).toArray();
        double[] proportional = new double[macs.length];
        for (int i = 0; i < macs.length; i++) proportional[i] = ms[0] * macs[i] / macs[0];
        List<Trace> traces = new ArrayList<>(List.of(Plot.line("measured", macs, ms),
                Plot.dashed("if time were proportional to MACs", macs, proportional)));
        List<BenchSuite.Result> flagged = grouped.stream().filter(r -> !r.timing().trusted()).toList();
        if (!flagged.isEmpty()) {
            traces.add(Plot.points(Bench.FLAGGED, flagged.stream().mapToDouble(r -> r.macs() / 1e6).toArray(),
                    flagged.stream().mapToDouble(r -> r.timing().medianMs()).toArray()));
        }
        return new Figure(Plot.layout("Grouped convolution: measured time against counted MACs (g = 1 … 32)",
                Plot.logAxis("million MACs (counted)"), Plot.logAxis("median ms")), traces.toArray(Trace[]::new));
    }

    /**
     * Where the grouped sweep was fastest, what came after it, how the rate fell with g, and what 32 calls of the
     * tiny layer would take; every value it uses from a flagged timing is marked.
     */
    public static String groupedSentence(List<BenchSuite.Result> results, CallCost calls) {
        List<BenchSuite.Result> grouped = grouped(results);
        double[] ms = grouped.stream().mapToDouble(r -> r.timing().medianMs()).toArray();
        int best = 0, last = ms.length - 1;
        for (int i = 1; i < ms.length; i++) if (ms[i] < ms[best]) best = i;
        BenchSuite.Result first = grouped.get(0), fastest = grouped.get(best), end = grouped.get(last);
        String gBest = fastest.name() + Bench.flag(fastest.timing()), gLast = end.name() + Bench.flag(end.timing());
        return (best == 0 ? "This run: no g was faster than g=1; " : String.format(Locale.ROOT, "This run: fastest at "
                + "%s (%.1f× faster than g=1%s, where the count says %.0f×); ", gBest, ms[0] / ms[best],
                Bench.flag(first.timing()), (double) first.macs() / fastest.macs()))
                + (best == last ? "the time fell all the way to the last g measured."
                : String.format(Locale.ROOT, "%s took %.2f× the time of %s, where the count says %.3f×.", gLast,
                ms[last] / ms[best], gBest, (double) end.macs() / fastest.macs()))
                + String.format(Locale.ROOT, " The rate fell from %.0f GFLOP/s at g=1 to %.0f at %s and %.0f at %s.",
                first.gflops(), fastest.gflops(), fastest.name(), end.gflops(), end.name())
                + String.format(Locale.ROOT, " At g = 32 the layer is 32 calls: 32 tiny calls would take %.3f ms%s, "
                + "against its %.3f ms.", 32 * calls.convMs(), Bench.flag(calls.conv()), ms[last]);
    }

    private static List<BenchSuite.Result> grouped(List<BenchSuite.Result> results) {
        return results.stream().filter(r -> r.kind().equals("grouped")).toList();
    }
}
