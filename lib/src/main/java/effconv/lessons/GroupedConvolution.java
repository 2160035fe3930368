package effconv.lessons;

import effconv.bench.Bench;
import effconv.layers.GroupedConv;
import effconv.layers.Shape;
import effconv.nd.NdLayer;
import effconv.runtime.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;
import effconv.report.Rows;
import tech.tablesaw.api.Table;

/** Lesson 5's sweep: what a grouped convolution costs as the number of groups grows. */
public final class GroupedConvolution {

    private GroupedConvolution() {
    }

    /** Parameters and MACs of C_in → C_out, K×K, padding p on H×H, for every g that divides both channel counts. */
    public static Table costByGroups(int cin, int cout, int k, int h, int p) {
        Shape input = Shape.of(cin, h);
        Rows rows = Rows.of("Cost against the number of groups (" + cin + " → " + cout + ", K = " + k + ", " + h + "×"
                + h + ")", "g", "params", "MACs");
        for (int g = 1; g <= cin; g++) {
            if (cin % g == 0 && cout % g == 0) {
                GroupedConv l = GroupedConv.of(cin, cout, k, g).padding(p);
                rows.add(g, l.params(), l.macs(input));
            }
        }
        return rows.table();
    }

    /**
     * The same layers timed on this machine (ND4J, seeded weights, input seed 1; the median of {@link Bench#time}'s
     * default budget) for every g that divides both channel counts, up to 32 — past that each group is a sliver —
     * with the counted and measured ratios to g = 1. Each timing prints its doubts, if any, as it goes.
     */
    public static Table timeByGroups(int cin, int cout, int k, int h, int p) {
        INDArray x = Tensors.random(Shape.of(cin, h), 1);
        Rows rows = Rows.of("Measured forward time against groups (this machine, this run)",
                "g", "median ms", "counted MACs / g=1", "measured time / g=1");
        double t1 = 0;
        for (int g = 1; g <= Math.min(32, cin); g++) {
            if (cin % g != 0 || cout % g != 0) continue;
            NdLayer nd = NdLayer.init(GroupedConv.of(cin, cout, k, g).padding(p), 1);
            Bench.Timing t = Bench.time("g=" + g, () -> nd.run(x));   // run: reuses its output buffer
            if (g == 1) t1 = t.medianMs();
            rows.add(g, Math.round(1000 * t.medianMs()) / 1000.0, 1.0 / g, Math.round(1000 * t.medianMs() / t1) / 1000.0);
        }
        return rows.table();
    }
}
