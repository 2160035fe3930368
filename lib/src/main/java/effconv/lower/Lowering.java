package effconv.lower;

import java.util.ArrayList;
import java.util.List;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.ChannelShuffle;
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
import effconv.layers.Shape;

/**
 * Turns a spec into a flat list of ops with named weights, making every fusion decision in one place: which
 * convolution absorbs the batch norm after it, the activation after that, and a residual sum. Pure Java: nothing
 * is allocated but the list, so a spec the engines cannot run is refused here, before any native memory exists.
 */
public final class Lowering {

    /** What a spec may be made of, for the refusal's message. */
    public static final String SUPPORTED = "Conv2d (and its grouped, depthwise, pointwise, dilated forms), BatchNorm, "
            + "Activation, Pool, GlobalAvgPool, FullyConnected, ChannelShuffle, Sequence, Concat, Residual, Named, "
            + "and blocks built of these";

    private final Fusions fusions;
    private final List<Op> ops = new ArrayList<>();
    private final List<Weight> weights = new ArrayList<>();
    private final List<Shape> values = new ArrayList<>();

    private Lowering(Fusions fusions) {
        this.fusions = fusions;
    }

    /** Lowers {@code spec} for inputs of shape {@code input}; throws with the layer's path if it cannot. */
    public static Lowered lower(Layer spec, Shape input, Fusions fusions) {
        spec.outputShape(input); // the spec's own message for an input that does not fit, before anything else
        Lowering l = new Lowering(fusions);
        l.values.add(input);
        int out = l.layer(spec, "", 0);
        return new Lowered(List.copyOf(l.ops), List.copyOf(l.weights), List.copyOf(l.values), out);
    }

    /** A leaf with the path it sits at. */
    private record At(String path, Layer layer) {
    }

    private int layer(Layer l, String path, int in) {
        List<At> flat = new ArrayList<>();
        flatten(l, path, flat);
        return run(flat, in, -1, null);
    }

    /** Nested sequences (a separable conv inside a network) as one list, so a batch norm folds across them. */
    private static void flatten(Layer l, String path, List<At> out) {
        l.accept(new Leaves(path, out));
    }

    private static String join(String path, String part) {
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

    /**
     * Lowers a flat list from value {@code in}. {@code sumInto}: the value the list's last op may add its output to
     * (a residual's other branch; -1 none); returns the list's output, or -(1 + value) when the sum was taken.
     */
    private int run(List<At> flat, int in, int sumInto, Activation.Kind afterSum) {
        int cur = in;
        int i = 0;
        boolean summed = false;
        while (i < flat.size()) {
            Step s = flat.get(i).layer().accept(new Step(flat, i, cur, sumInto, afterSum));
            cur = s.out;
            i = s.next;
            summed |= s.summed;
        }
        return summed ? -(1 + cur) : cur;
    }

    private int value(Shape s) {
        values.add(s);
        return values.size() - 1;
    }

    private Weight weight(String path, String name, Weight.Init init, long... shape) {
        Weight w = new Weight(join(path, name), shape, init);
        weights.add(w);
        return w;
    }

    private Op.BatchNormWeights norm(String path, int channels) {
        // the order and draws NdLayer has always used, so a seed gives the numbers it gave
        return new Op.BatchNormWeights(weight(path, "gamma", new Weight.Around(1, 0.2), channels),
                weight(path, "beta", new Weight.Uniform(0.2), channels),
                weight(path, "mean", new Weight.Uniform(0.2), channels),
                weight(path, "var", new Weight.Around(1, 0.2), channels));
    }

    /** One turn of the walk: lowers the leaf at {@code i} (and what it absorbs), says where the walk goes on. */
    private final class Step implements Layer.Visitor<Step> {
        final List<At> flat;
        final int i;
        final int in;
        final int sumInto;
        final Activation.Kind afterSum;
        final String path;
        int out;
        int next;
        boolean summed;

        Step(List<At> flat, int i, int in, int sumInto, Activation.Kind afterSum) {
            this.flat = flat;
            this.i = i;
            this.in = in;
            this.sumInto = sumInto;
            this.afterSum = afterSum;
            this.path = flat.get(i).path();
            this.next = i + 1;
        }

        private Step emit(Op op) {
            ops.add(op);
            out = op.out();
            return this;
        }

        private Shape inShape() {
            return values.get(in);
        }

        /** The activation at {@code next}, taken when fusing is on. */
        private Activation.Kind fusedActivation() {
            if (fusions.fuseActivations() && next < flat.size() && flat.get(next).layer() instanceof Activation a) {
                next++;
                return a.kind();
            }
            return null;
        }

        @Override
        public Step conv(ConvLayer layer) {
            Conv2d c = layer.toConv2d();
            double bound = 1.0 / Math.sqrt((double) c.inChannelsPerGroup() * c.kernel() * c.kernel());
            Weight w = weight(path, "weight", new Weight.Uniform(bound), c.outChannels(), c.inChannelsPerGroup(),
                    c.kernel(), c.kernel());
            Weight b = c.bias() ? weight(path, "bias", new Weight.Uniform(bound), c.outChannels()) : null;
            Op.BatchNormWeights bn = null;
            if (fusions.foldBatchNorm() && next < flat.size() && flat.get(next).layer() instanceof BatchNorm n) {
                bn = norm(flat.get(next).path(), n.channels());
                next++;
            }
            Activation.Kind act = fusedActivation();
            Shape os = c.outputShape(inShape());
            // the residual sum goes into the last op of a branch, when fusing; the activation after it follows it
            int into = -1;
            if (sumInto >= 0 && next == flat.size() && fusions.fuseActivations()) {
                into = sumInto;
                summed = true;
            }
            boolean split = c.groups() > 1 && c.groups() < c.inChannels() && !fusions.groupedPrimitive();
            return emit(new Op.Conv(path, in, value(os), inShape(), os, c, w, b, bn, act, into,
                    summed ? afterSum : null, split));
        }

        @Override
        public Step batchNorm(BatchNorm b) {
            Op.BatchNormWeights n = norm(path, b.channels());
            Activation.Kind act = fusedActivation();
            return emit(new Op.Norm(path, in, value(inShape()), inShape(), n, act));
        }

        @Override
        public Step activation(Activation a) {
            return emit(new Op.Act(path, in, value(inShape()), inShape(), a.kind()));
        }

        @Override
        public Step pool(Pool p) {
            Shape os = p.outputShape(inShape());
            return emit(new Op.PoolOp(path, in, value(os), inShape(), os, p));
        }

        @Override
        public Step globalAvgPool(GlobalAvgPool g) {
            Shape os = g.outputShape(inShape());
            return emit(new Op.GlobalPool(path, in, value(os), inShape(), os));
        }

        @Override
        public Step fullyConnected(FullyConnected fc) {
            double bound = 1.0 / Math.sqrt(fc.in());
            Weight w = weight(path, "weight", new Weight.Uniform(bound), fc.out(), fc.in());
            Weight b = fc.bias() ? weight(path, "bias", new Weight.Uniform(bound), fc.out()) : null;
            Shape os = fc.outputShape(inShape());
            return emit(new Op.Linear(path, in, value(os), os, fc, w, b));
        }

        @Override
        public Step shuffle(ChannelShuffle s) {
            return emit(new Op.Shuffle(path, in, value(inShape()), inShape(), s.groups()));
        }

        @Override
        public Step concat(Concat c) {
            int n = c.branches().size();
            int[] parts = new int[n];
            int[] from = new int[n];
            int at = 0;
            for (int k = 0; k < n; k++) {
                parts[k] = layer(c.branches().get(k), join(path, "branch" + k), in);
                from[k] = at;
                at += values.get(parts[k]).channels();
            }
            Shape os = c.outputShape(inShape());
            return emit(new Op.ConcatSlice(path, parts, from, value(os), os));
        }

        @Override
        public Step residual(Residual r) {
            Activation.Kind after = fusedActivation();
            // the sum goes into the branch's last convolution, as FusedNet has always fused it: the body's for an
            // identity shortcut, unless the input is the network's (the caller's array, never written in place);
            // the shortcut's for a projection. Semantically the op still writes a new value; an engine may reuse
            // the summed value's buffer for it
            int other;
            int last;
            if (r.shortcut() == null) {
                other = in;
                List<At> body = new ArrayList<>();
                flatten(r.body(), join(path, "body"), body);
                last = run(body, in, in == 0 ? -1 : in, after);
            } else {
                other = layer(r.body(), join(path, "body"), in);
                List<At> sc = new ArrayList<>();
                flatten(r.shortcut(), join(path, "shortcut"), sc);
                last = run(sc, in, other, after);
            }
            if (last < 0) { // the sum, and the activation after it, were taken by the branch's last convolution
                return at(-(1 + last));
            }
            return emit(new Op.Add(path, last, other, value(values.get(last)), values.get(last), after));
        }

        private Step at(int v) {
            out = v;
            return this;
        }

        @Override
        public Step add(Residual.Add a) {
            throw new IllegalArgumentException("layer " + path(path) + "Add is not allowed on its own: it is part of a"
                    + " Residual; a spec may hold " + SUPPORTED);
        }

        @Override
        public Step named(Named n) {
            throw new IllegalStateException("flattened away");
        }

        @Override
        public Step sequence(Sequence s) {
            throw new IllegalStateException("flattened away");
        }

        @Override
        public Step composite(Composite c) {
            throw new IllegalStateException("flattened away");
        }
    }

    private static String path(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }
}
