package effconv.report;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.ChannelShuffle;
import effconv.layers.Check;
import effconv.layers.Composite;
import effconv.layers.Concat;
import effconv.layers.Conv2d;
import effconv.layers.ConvLayer;
import effconv.layers.FullyConnected;
import effconv.layers.GlobalAvgPool;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.Pool;
import effconv.layers.Residual;
import effconv.layers.Sequence;
import effconv.models.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Layers sorted into the kinds the MobileNet paper's Table 2 uses ("Conv 1×1", "Conv DW 3×3", "Conv 3×3",
 * "Fully connected"), read from each layer's spec, so a lesson can ask where a network's cost goes without
 * parsing layer names.
 */
public final class Kinds {
    private Kinds() {
    }

    /** The kind of one leaf layer: "Conv 1×1", "Conv DW K×K", "Conv K×K", "Fully connected", "Batch norm", "no parameters". */
    public static String of(Layer layer) {
        Check.notNull("layer", layer);
        return layer.accept(new Kind());
    }

    /** Weights only, as the papers count them: a convolution's or classifier's weights without bias; 0 for batch norm. */
    public static long weights(Layer layer) {
        Check.notNull("layer", layer);
        return layer.accept(new WeightCount());
    }

    private static final String NONE = "no parameters";

    /**
     * A leaf's kind, one case per kind of layer, so a new kind is a compile error here until it is sorted. A layer
     * that combines others is no leaf (a summary shows its parts) and is sorted with those that have no parameters.
     */
    private static final class Kind implements Layer.Visitor<String> {
        @Override
        public String conv(ConvLayer layer) {
            Conv2d c = layer.toConv2d();
            String k = c.kernel() + "×" + c.kernel();
            if (c.groups() > 1 && c.inChannelsPerGroup() == 1) {
                return "Conv DW " + k;
            }
            return "Conv " + k + (c.groups() > 1 ? " (grouped)" : "");
        }

        @Override public String fullyConnected(FullyConnected f) { return "Fully connected"; }
        @Override public String batchNorm(BatchNorm b) { return "Batch norm"; }
        @Override public String activation(Activation a) { return NONE; }
        @Override public String shuffle(ChannelShuffle s) { return NONE; }
        @Override public String globalAvgPool(GlobalAvgPool g) { return NONE; }
        @Override public String pool(Pool p) { return NONE; }
        @Override public String add(Residual.Add a) { return NONE; }
        @Override public String concat(Concat c) { return NONE; }
        @Override public String named(Named n) { return NONE; }
        @Override public String residual(Residual r) { return NONE; }
        @Override public String sequence(Sequence s) { return NONE; }
        @Override public String composite(Composite c) { return NONE; }
    }

    /** A leaf's weights without biases, as the papers count them; batch norm's scale and shift are not weights. */
    private static final class WeightCount implements Layer.Visitor<Long> {
        @Override
        public Long conv(ConvLayer layer) {
            Conv2d c = layer.toConv2d();
            return c.params() - (c.bias() ? c.outChannels() : 0);
        }

        @Override public Long fullyConnected(FullyConnected f) { return (long) f.in() * f.out(); }
        @Override public Long batchNorm(BatchNorm b) { return 0L; }
        @Override public Long activation(Activation a) { return 0L; }
        @Override public Long shuffle(ChannelShuffle s) { return 0L; }
        @Override public Long globalAvgPool(GlobalAvgPool g) { return 0L; }
        @Override public Long pool(Pool p) { return 0L; }
        @Override public Long add(Residual.Add a) { return 0L; }
        @Override public Long concat(Concat c) { return 0L; }
        @Override public Long named(Named n) { return 0L; }
        @Override public Long residual(Residual r) { return 0L; }
        @Override public Long sequence(Sequence s) { return 0L; }
        @Override public Long composite(Composite c) { return 0L; }
    }

    /**
     * A network's parameters and MACs summed by kind, largest MAC share first; kinds with neither are left out.
     * {@code weightsOnly} counts weights as the MobileNet paper's Table 2 does (no biases, no batch norm).
     */
    public static Table table(Model model, boolean weightsOnly) {
        Check.notNull("model", model);
        Map<String, long[]> sums = new LinkedHashMap<>();
        for (Layer.Leaf leaf : model.body().leaves(model.input())) {
            long p = weightsOnly ? weights(leaf.layer()) : leaf.layer().params();
            long m = leaf.layer().macs(leaf.input());
            if (p == 0 && m == 0) {
                continue;
            }
            long[] s = sums.computeIfAbsent(of(leaf.layer()), k -> new long[2]);
            s[0] += p;
            s[1] += m;
        }
        long pTotal = sums.values().stream().mapToLong(s -> s[0]).sum();
        long mTotal = sums.values().stream().mapToLong(s -> s[1]).sum();
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(sums.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        StringColumn kind = StringColumn.create("layer type");
        LongColumn params = LongColumn.create(weightsOnly ? "weights" : "params"), macs = LongColumn.create("MACs");
        DoubleColumn pShare = DoubleColumn.create(weightsOnly ? "weights %" : "params %");
        DoubleColumn mShare = DoubleColumn.create("MACs %");
        for (var e : rows) {
            kind.append(e.getKey());
            params.append(e.getValue()[0]);
            macs.append(e.getValue()[1]);
            pShare.append(Math.round(10000.0 * e.getValue()[0] / pTotal) / 100.0);
            mShare.append(Math.round(10000.0 * e.getValue()[1] / mTotal) / 100.0);
        }
        return Table.create(model.name() + ": where the " + (weightsOnly ? "weights" : "parameters")
                + " and MACs go").addColumns(kind, mShare, pShare, macs, params);
    }
}
