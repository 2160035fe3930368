package effconv.lessons;

import effconv.bench.BenchSuite;
import effconv.plot.Plot;
import tech.tablesaw.plotly.components.Figure;

import java.util.List;

/** Lesson 13's readings of the timed suite: one case by name, and the grouped sweep as a chart and a sentence. */
public final class CountedVsMeasured {

    private CountedVsMeasured() {
    }

    /** The result of the case with that name. */
    public static BenchSuite.Result result(List<BenchSuite.Result> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("name = \"" + name + "\" is not allowed: the cases are "
                        + results.stream().map(BenchSuite.Result::name).toList()));
    }

    /** The grouped cases' measured time against their counted MACs, beside time proportional to MACs from g = 1. */
    public static Figure groupedChart(List<BenchSuite.Result> results) {
        List<BenchSuite.Result> grouped = grouped(results);
        double[] macs = grouped.stream().mapToDouble(r -> r.macs() / 1e6).toArray();
        double[] ms = grouped.stream().mapToDouble(r -> r.timing().medianMs()).toArray();
        double[] proportional = new double[macs.length];
        for (int i = 0; i < macs.length; i++) proportional[i] = ms[0] * macs[i] / macs[0];
        return new Figure(Plot.layout("Grouped convolution: measured time against counted MACs (g = 1 … 32)",
                Plot.logAxis("million MACs (counted)"), Plot.logAxis("median ms")),
                Plot.line("measured", macs, ms), Plot.dashed("if time were proportional to MACs", macs, proportional));
    }

    /** Where the grouped sweep was fastest, what came after it, and what 32 calls of the tiny layer would take. */
    public static String groupedSentence(List<BenchSuite.Result> results, double callMs) {
        List<BenchSuite.Result> grouped = grouped(results);
        double[] ms = grouped.stream().mapToDouble(r -> r.timing().medianMs()).toArray();
        int best = 0, last = ms.length - 1;
        for (int i = 1; i < ms.length; i++) if (ms[i] < ms[best]) best = i;
        String gBest = grouped.get(best).name(), gLast = grouped.get(last).name();
        return (best == 0 ? "This run: no g was faster than g=1; " : String.format("This run: fastest at %s (%.1f× faster "
                + "than g=1, where the count says %.0f×); ", gBest, ms[0] / ms[best],
                (double) grouped.get(0).macs() / grouped.get(best).macs()))
                + (best == last ? "the time fell all the way to the last g measured."
                : String.format("%s took %.2f× the time of %s, where the count says %.3f×.", gLast, ms[last] / ms[best],
                gBest, (double) grouped.get(last).macs() / grouped.get(best).macs()))
                + String.format(" At g = 32 the layer is 32 calls: 32 tiny calls would take %.3f ms, against its %.3f ms.",
                32 * callMs, ms[last]);
    }

    private static List<BenchSuite.Result> grouped(List<BenchSuite.Result> results) {
        return results.stream().filter(r -> r.kind().equals("grouped")).toList();
    }
}
