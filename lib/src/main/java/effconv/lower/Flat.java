package effconv.lower;

import java.util.ArrayList;
import java.util.List;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.ChannelShuffle;
import effconv.layers.Composite;
import effconv.layers.Concat;
import effconv.layers.ConvLayer;
import effconv.layers.FullyConnected;
import effconv.layers.GlobalAvgPool;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.Pool;
import effconv.layers.Residual;
import effconv.layers.Sequence;

/**
 * A spec as the lowering walks it: nested sequences, names and blocks opened into one flat list of leaves, each
 * with its path ("stage2/unit1/gconv1"), so a batch norm folds across a separable conv's inner sequence and every
 * op and weight is named where it sits. Branching layers (Concat, Residual) stay leaves: the lowering opens them.
 */
final class Flat {
    private Flat() {
    }

    /** A leaf with the path it sits at. */
    record At(String path, Layer layer) {
    }

    /** Nested sequences (a separable conv inside a network) as one list, so a batch norm folds across them. */
    static List<At> flatten(Layer l, String path) {
        List<At> out = new ArrayList<>();
        flatten(l, path, out);
        return out;
    }

    private static void flatten(Layer l, String path, List<At> out) {
        l.accept(new Leaves(path, out));
    }

    static String join(String path, String part) {
        return path.isEmpty() ? part : path + "/" + part;
    }

    /** Sequences, names and blocks opened up; every other layer is one leaf of the flat list. */
    private record Leaves(String path, List<At> out) implements Layer.Visitor<Void> {
        private Void leaf(Layer l) {
            out.add(new At(path, l));
            return null;
        }

        @Override public Void activation(Activation a) { return leaf(a); }
        @Override public Void batchNorm(BatchNorm b) { return leaf(b); }
        @Override public Void shuffle(ChannelShuffle s) { return leaf(s); }
        @Override public Void concat(Concat c) { return leaf(c); }
        @Override public Void fullyConnected(FullyConnected f) { return leaf(f); }
        @Override public Void globalAvgPool(GlobalAvgPool g) { return leaf(g); }
        @Override public Void pool(Pool p) { return leaf(p); }
        @Override public Void residual(Residual r) { return leaf(r); }
        @Override public Void add(Residual.Add a) { return leaf(a); }
        @Override public Void conv(ConvLayer c) { return leaf(c); }

        @Override
        public Void named(Named n) {
            flatten(n.layer(), join(path, n.name()), out);
            return null;
        }

        @Override
        public Void sequence(Sequence s) {
            // a named child is known by its name alone, an unnamed one by its index (the training modules' paths)
            for (int i = 0; i < s.layers().size(); i++) {
                Layer child = s.layers().get(i);
                flatten(child, child instanceof Named ? path : join(path, String.valueOf(i)), out);
            }
            return null;
        }

        @Override
        public Void composite(Composite c) {
            flatten(c.graph(), path, out);
            return null;
        }
    }
}
