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
    private final WeightList weights = new WeightList();
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
        return new Lowered(List.copyOf(l.ops), List.copyOf(l.weights.list), List.copyOf(l.values), out);
    }

    /**
     * The weights {@code spec} holds, by name and in the order a seed draws them: the same list as any lowering's,
     * without an input shape (a layer's weights do not depend on it), so a layer can be made before it sees input.
     */
    public static List<Weight> weights(Layer spec) {
        return WeightList.of(spec);
    }

    private int layer(Layer l, String path, int in) {
        List<Flat.At> flat = Flat.flatten(l, path);
        return run(flat, in, -1, null);
    }

    /**
     * Lowers a flat list from value {@code in}. {@code sumInto}: the value the list's last op may add its output to
     * (a residual's other branch; -1 none); returns the list's output, or -(1 + value) when the sum was taken.
     */
    private int run(List<Flat.At> flat, int in, int sumInto, Activation.Kind afterSum) {
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

    /** One turn of the walk: lowers the leaf at {@code i} (and what it absorbs), says where the walk goes on. */
    private final class Step implements Layer.Visitor<Step> {
        final List<Flat.At> flat;
        final int i;
        final int in;
        final int sumInto;
        final Activation.Kind afterSum;
        final String path;
        int out;
        int next;
        boolean summed;

        Step(List<Flat.At> flat, int i, int in, int sumInto, Activation.Kind afterSum) {
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
            Weight[] wb = weights.conv(path, c);
            Op.BatchNormWeights bn = null;
            if (fusions.foldBatchNorm() && next < flat.size() && flat.get(next).layer() instanceof BatchNorm n) {
                bn = weights.norm(flat.get(next).path(), n.channels());
                next++;
            }
            Activation.Kind act = fusedActivation();
            Shape os = c.outputShape(inShape());
            int into = takeSum();
            boolean split = c.groups() > 1 && c.groups() < c.inChannels() && !fusions.groupedPrimitive();
            return emit(new Op.Conv(path, in, value(os), inShape(), os, c, wb[0], wb[1], bn, act, into,
                    summed ? afterSum : null, split));
        }

        /** The residual sum, taken by the last op of a branch when fusing: the value it adds, or -1. */
        private int takeSum() {
            if (sumInto >= 0 && next == flat.size() && fusions.fuseActivations()) {
                summed = true;
                return sumInto;
            }
            return -1;
        }

        @Override
        public Step batchNorm(BatchNorm b) {
            Op.BatchNormWeights n = weights.norm(path, b.channels());
            Activation.Kind act = fusedActivation();
            int into = takeSum();
            return emit(new Op.Norm(path, in, value(inShape()), inShape(), n, act, into, summed ? afterSum : null));
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
            Weight[] wb = weights.linear(path, fc);
            Shape os = fc.outputShape(inShape());
            return emit(new Op.Linear(path, in, value(os), os, fc, wb[0], wb[1]));
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
                parts[k] = layer(c.branches().get(k), Flat.join(path, "branch" + k), in);
                from[k] = at;
                at += values.get(parts[k]).channels();
            }
            Shape os = c.outputShape(inShape());
            return emit(new Op.ConcatSlice(path, parts, from, value(os), os));
        }

        @Override
        public Step residual(Residual r) {
            Activation.Kind after = fusedActivation();
            // the sum goes into the convolution that runs last, since a fused sum adds into a buffer that already
            // holds the other operand: the body's for an identity shortcut (the input is there before it), unless the
            // input is the network's (the caller's array, never written in place); the shortcut's for a projection
            // (the body runs first). Semantically the op still writes a new value; an engine may reuse the summed
            // value's buffer for it
            int other;
            int last;
            if (r.shortcut() == null) {
                other = in;
                List<Flat.At> body = Flat.flatten(r.body(), Flat.join(path, "body"));
                last = run(body, in, in == 0 ? -1 : in, after);
            } else {
                other = layer(r.body(), Flat.join(path, "body"), in);
                List<Flat.At> sc = Flat.flatten(r.shortcut(), Flat.join(path, "shortcut"));
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
            throw loneAdd(path);
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

    static IllegalArgumentException loneAdd(String path) {
        return new IllegalArgumentException("layer " + path(path) + "Add is not allowed on its own: it is part of a"
                + " Residual; a spec may hold " + SUPPORTED);
    }

    private static String path(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }
}
