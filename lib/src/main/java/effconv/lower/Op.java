package effconv.lower;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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

    /** The values this op reads, the residual sum's included: what tells an engine when a value is dead. */
    int[] inputs();

    /** The spec layer(s) this op stands for, for the table and for error messages ("features/3"). */
    String path();

    <R> R accept(Visitor<R> v);

    /** The weights this op reads (none for most): what a row's parameter count adds up. */
    default List<Weight> weights() {
        return List.of();
    }

    /** The non-null ones of some weights, in order. */
    private static List<Weight> present(Weight... ws) {
        return Arrays.stream(ws).filter(Objects::nonNull).toList();
    }

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
        List<Weight> all() {
            return List.of(gamma, beta, mean, var);
        }
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
        public int[] inputs() {
            return sumInto < 0 ? new int[] {in} : new int[] {in, sumInto};
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.conv(this);
        }

        @Override
        public List<Weight> weights() {
            List<Weight> ws = new ArrayList<>(present(weight, bias));
            if (foldedNorm != null) {
                ws.addAll(foldedNorm.all());
            }
            return ws;
        }
    }

    /**
     * A batch norm on its own (not after a convolution, or folding off), with a fused activation or null; like a
     * convolution, the last op of a branch may take the residual sum ({@code sumInto}, -1 none) and the activation
     * after it (a fused engine runs it as a 1×1 depthwise convolution, which takes the same post-ops).
     */
    record Norm(String path, int in, int out, Shape outShape, BatchNormWeights norm, Activation.Kind activation,
                int sumInto, Activation.Kind afterSum)
            implements Op {
        @Override
        public int[] inputs() {
            return sumInto < 0 ? new int[] {in} : new int[] {in, sumInto};
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.norm(this);
        }

        @Override
        public List<Weight> weights() {
            return norm.all();
        }
    }

    /** An activation on its own. */
    record Act(String path, int in, int out, Shape outShape, Activation.Kind kind) implements Op {
        @Override
        public int[] inputs() {
            return new int[] {in};
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.act(this);
        }
    }

    /** A residual sum on its own (no convolution could take it), then an activation or null. */
    record Add(String path, int a, int b, int out, Shape outShape, Activation.Kind activation) implements Op {
        @Override
        public int[] inputs() {
            return new int[] {a, b};
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.add(this);
        }
    }

    record PoolOp(String path, int in, int out, Shape inShape, Shape outShape, Pool pool) implements Op {
        @Override
        public int[] inputs() {
            return new int[] {in};
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.pool(this);
        }
    }

    record GlobalPool(String path, int in, int out, Shape inShape, Shape outShape) implements Op {
        @Override
        public int[] inputs() {
            return new int[] {in};
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.globalPool(this);
        }
    }

    record Linear(String path, int in, int out, Shape outShape, FullyConnected fc, Weight weight, Weight bias)
            implements Op {
        @Override
        public int[] inputs() {
            return new int[] {in};
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.linear(this);
        }

        @Override
        public List<Weight> weights() {
            return present(weight, bias);
        }
    }

    record Shuffle(String path, int in, int out, Shape outShape, int groups) implements Op {
        @Override
        public int[] inputs() {
            return new int[] {in};
        }

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
        public int[] inputs() {
            return parts.clone();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.concat(this);
        }
    }
}
