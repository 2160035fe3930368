package effconv.bench;

import effconv.layers.Check;
import effconv.layers.Layer;
import effconv.layers.Residual;
import effconv.models.Model;
import effconv.nd.NdLayer;
import effconv.runtime.Tensors;
import effconv.report.Kinds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Where a network's time goes: every leaf layer timed on its own (seeded weights, its real input shape), the
 * medians summed by kind, beside the counted MACs of the same kind. The sum of the parts is not the network's
 * time — caches are warm for a layer timed alone — but the shares show which kinds of layer cost time without
 * costing MACs. Times are this machine's, now.
 */
public final class Breakdown {
    private Breakdown() {
    }

    /** The kind a timing row is filed under: {@link Kinds#of}, or the layer's type for layers without parameters. */
    static String kind(Layer layer) {
        String k = Kinds.of(layer);
        return k.equals("no parameters") ? layer.torchType() : k;
    }

    /**
     * Times every leaf of {@code model} for {@code warmupSeconds} + {@code measureSeconds} (short budgets are enough:
     * only shares are read) and returns one row per kind, most time first: layers (one call each, a grouped
     * convolution one per group on this path), counted MACs, summed median ms,
     * share of the summed time, share of the MACs, the megabytes its layers must at least move (input, output and
     * weights once each), and how many of its layers' timings carry doubts
     * ({@link Bench.Timing#doubts()}: a busy machine, a wide spread, too few runs).
     */
    public static Table time(Model model, double warmupSeconds, double measureSeconds) {
        Check.notNull("model", model);
        Map<String, double[]> sums = new LinkedHashMap<>(); // calls, MACs, ms, doubtful timings, bytes
        for (Layer.Leaf leaf : model.body().leaves(model.input())) {
            INDArray x = Tensors.random(leaf.input(), 1);
            Runnable run;
            if (leaf.layer() instanceof Residual.Add) {
                INDArray other = x.dup().muli(0); // a residual add, timed as the element-wise add it is
                run = () -> x.addi(other);
            } else {
                NdLayer nd = NdLayer.init(leaf.layer(), 0);
                run = () -> nd.run(x);
            }
            Bench.Timing t = Bench.measure(leaf.path(), run, warmupSeconds, measureSeconds);
            double[] s = sums.computeIfAbsent(kind(leaf.layer()), k -> new double[5]);
            s[0] += 1;
            s[1] += leaf.layer().macs(leaf.input());
            s[2] += t.medianMs();
            s[3] += t.trusted() ? 0 : 1;
            s[4] += BenchSuite.bytesMoved(leaf.layer(), leaf.input());
        }
        double msTotal = sums.values().stream().mapToDouble(s -> s[2]).sum();
        double macsTotal = sums.values().stream().mapToDouble(s -> s[1]).sum();
        List<Map.Entry<String, double[]>> rows = new ArrayList<>(sums.entrySet());
        rows.sort((a, b) -> Double.compare(b.getValue()[2], a.getValue()[2]));
        StringColumn kind = StringColumn.create("layer kind");
        LongColumn calls = LongColumn.create("layers"), macs = LongColumn.create("MACs");
        DoubleColumn ms = DoubleColumn.create("ms (sum of medians)"), tShare = DoubleColumn.create("time %"),
                mShare = DoubleColumn.create("MACs %");
        LongColumn doubtful = LongColumn.create("doubtful timings");
        DoubleColumn mb = DoubleColumn.create("MB moved");
        for (var e : rows) {
            double[] s = e.getValue();
            kind.append(e.getKey());
            calls.append((long) s[0]);
            macs.append((long) s[1]);
            ms.append(Math.round(1000 * s[2]) / 1000.0);
            tShare.append(Math.round(1000 * s[2] / msTotal) / 10.0);
            mShare.append(Math.round(1000 * s[1] / macsTotal) / 10.0);
            doubtful.append((long) s[3]);
            mb.append(Math.round(s[4] / 1e4) / 100.0);
        }
        return Table.create(model.name() + ": time by layer kind, each layer timed alone (this machine, this run)")
                .addColumns(kind, calls, tShare, mShare, ms, macs, mb, doubtful);
    }
}
