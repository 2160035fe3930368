package effconv.lower;

import effconv.layers.Activation;
import effconv.layers.Conv2d;
import effconv.layers.FullyConnected;
import effconv.layers.Pool;
import effconv.layers.Shape;

/**
 * One step of a lowered network. Values are numbered: 0 is the network's input, every op writes one new value
 * ({@link #out()}) from values written before it, so an engine runs the list in order and a training engine can walk
 * it backwards. Each op carries its shapes and named weights, everything an engine (or an autotuner choosing per
 * shape) needs without looking at the spec again. Sealed: a new op is a compile error in every engine's visitor.
 */
public sealed interface Op {

    /** The value this op writes. */
    int out();

    /** The shape of one sample of {@link #out()}. */
    Shape outShape();

    /** The spec layer(s) this op stands for, for the table and for error messages ("features/3"). */
    String path();

    <R> R accept(Visitor<R> v);

    /** One case per op; see {@link effconv.layers.Layer.Visitor} for why a visitor rather than a switch. */
    interface Visitor<R> {
        R conv(Conv c);

        R norm(Norm n);

        R act(Act a);

        R add(Add a);

        R pool(PoolOp p);

        R globalPool(GlobalPool g);

        R linear(Linear l);

        R shuffle(Shuffle s);

        R concat(ConcatSlice c);
    }

    /** Batch norm's four tensors, by name, and whether they are folded into the op that carries them. */
    record BatchNormWeights(Weight gamma, Weight beta, Weight mean, Weight var) {
    }

    /**
     * A convolution, then in this order: the batch norm folded into it (or null), its activation (or null), the
     * value it adds (a residual's other branch; -1: none) and the activation after that sum (or null). Every
     * part is a post-op of one oneDNN primitive; the training engine runs them one after another.
     * {@code splitGroups}: run a grouped convolution as one convolution per group (FusedNet's groupedPrimitive off).
     */
    record Conv(String path, int in, int out, Shape inShape, Shape outShape, Conv2d conv, Weight weight, Weight bias,
                BatchNormWeights foldedNorm, Activation.Kind activation, int sumInto, Activation.Kind afterSum,
                boolean splitGroups)
            implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.conv(this);
        }
    }

    /** A batch norm on its own (not after a convolution, or folding off), with a fused activation or null. */
    record Norm(String path, int in, int out, Shape outShape, BatchNormWeights norm, Activation.Kind activation)
            implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.norm(this);
        }
    }

    /** An activation on its own. */
    record Act(String path, int in, int out, Shape outShape, Activation.Kind kind) implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.act(this);
        }
    }

    /** A residual sum on its own (no convolution could take it), then an activation or null. */
    record Add(String path, int a, int b, int out, Shape outShape, Activation.Kind activation) implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.add(this);
        }
    }

    record PoolOp(String path, int in, int out, Shape inShape, Shape outShape, Pool pool) implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.pool(this);
        }
    }

    record GlobalPool(String path, int in, int out, Shape inShape, Shape outShape) implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.globalPool(this);
        }
    }

    record Linear(String path, int in, int out, Shape outShape, FullyConnected fc, Weight weight, Weight bias)
            implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.linear(this);
        }
    }

    record Shuffle(String path, int in, int out, Shape outShape, int groups) implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.shuffle(this);
        }
    }

    /**
     * A concatenation as slices: each part lands at channel {@code from[k]} of the output. The branches were
     * lowered before it, each from the same input.
     */
    record ConcatSlice(String path, int[] parts, int[] from, int out, Shape outShape) implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.concat(this);
        }
    }
}
