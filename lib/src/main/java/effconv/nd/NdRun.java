package effconv.nd;

import effconv.layers.BatchNorm;
import effconv.layers.Conv2d;
import effconv.layers.Layer;
import effconv.layers.Shape;
import effconv.lower.Fusions;
import effconv.lower.Lowered;
import effconv.lower.Lowering;
import effconv.lower.Op;
import effconv.lower.Weight;
import effconv.runtime.MemoryGuard;
import effconv.runtime.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Relu6;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The reference engine's run of a lowered network for one input shape: a buffer per value, kept between runs
 * (summaries read every layer's output, and a fresh off-heap array per op costs more than a small convolution),
 * and one prepared ND4J call per op. The spec is lowered with {@link Fusions#none()}: one op per layer, nothing
 * fused, so each op is one summary row (a concatenation's slices excepted: a summary has no row for them).
 */
final class NdRun {

    /** One op, prepared: reads its inputs from the values, writes its own. {@code row}: it is a summary row. */
    private record Step(Op op, Call call, boolean row) {
        /** The row's parameters: the learned weights the op reads (batch norm's statistics are buffers). */
        long params() {
            return op.weights().stream().filter(Weight::learned).mapToLong(Weight::numel).sum();
        }
    }

    private interface Call {
        void run(INDArray[] values);
    }

    private final Shape input;
    private final INDArray[] values;
    private final List<Step> steps = new ArrayList<>();
    private final int output;

    private NdRun(Shape input, Lowered lowered) {
        this.input = input;
        this.values = new INDArray[lowered.values().size()];
        this.output = lowered.output();
    }

    /** Lowers {@code spec} for {@code in} and prepares every op; the memory guard is asked before any buffer. */
    static NdRun plan(Layer spec, Shape in, Map<String, INDArray> weights) {
        Lowered lowered = Lowering.lower(spec, in, Fusions.none());
        checkMemory(spec, in, lowered);
        NdRun run = new NdRun(in, lowered);
        Cases cases = run.new Cases(weights);
        for (Op op : lowered.ops()) {
            run.values[op.out()] = Nd4j.createUninitialized(DataType.FLOAT, op.outShape().withBatch(1), 'c');
            run.steps.add(op.accept(cases));
        }
        return run;
    }

    Shape input() {
        return input;
    }

    /** Runs one sample; with {@code rows}, appends each row's output buffer (overwritten by the next run). */
    INDArray run(INDArray x, List<NdLayer.RowResult> rows) {
        values[0] = x;
        try {
            for (Step s : steps) {
                s.call().run(values);
                if (rows != null && s.row()) {
                    INDArray out = values[s.op().out()];
                    rows.add(new NdLayer.RowResult(Tensors.shapeOf(out), s.params(), out));
                }
            }
        } finally {
            values[0] = null; // never keep the caller's array
        }
        return values[output];
    }

    /**
     * Every value's buffer is kept; the largest temporary (a convolution's unrolled input patches, which oneDNN or
     * im2col may build: channels·K²·H_out·W_out values) exists once at a time. Pointwise and depthwise need none.
     */
    private static void checkMemory(Layer spec, Shape in, Lowered lowered) {
        long outputs = 0;
        long temporary = 0;
        for (Op op : lowered.ops()) {
            long output = MemoryGuard.floatBytes(op.outShape().numel());
            long bytes;
            String what;
            if (op instanceof Op.Conv c) { // its output and the patches it may unroll
                Shape out = c.outShape();
                bytes = MemoryGuard.plus(output, MemoryGuard.floatBytes(c.conv().inChannels(),
                        (long) c.conv().kernel() * c.conv().kernel(), out.height(), out.width()));
                what = c.conv() + " on " + c.inShape();
            } else { // its output and at most one copy
                bytes = MemoryGuard.plus(output, output);
                what = "layer " + op.path();
            }
            MemoryGuard.check("running " + what, bytes);
            outputs = MemoryGuard.plus(outputs, output);
            temporary = Math.max(temporary, bytes - output);
        }
        MemoryGuard.check("running " + spec + " on " + in + " (every layer's output)", MemoryGuard.plus(outputs, temporary));
    }

    /** One case per op: its prepared call. A new kind of op is a compile error here until it has one. */
    private final class Cases implements Op.Visitor<Step> {
        private final Map<String, INDArray> weights;

        Cases(Map<String, INDArray> weights) {
            this.weights = weights;
        }

        private INDArray weight(Weight w) {
            return w == null ? null : weights.get(w.name());
        }

        private static Step row(Op op, Call call) {
            return new Step(op, call, true);
        }

        private INDArray out(Op op) {
            return values[op.out()];
        }

        @Override
        public Step conv(Op.Conv c) {
            unfused(c.foldedNorm() == null && c.activation() == null && c.sumInto() < 0, c);
            LeafOp.Step s = Convolutions.op(c.conv(), weight(c.weight()), weight(c.bias())).prepare(c.inShape(),
                    out(c));
            return row(c, v -> s.run(v[c.in()]));
        }

        @Override
        public Step norm(Op.Norm n) {
            unfused(n.activation() == null && n.sumInto() < 0, n);
            // y = x·scale + shift per channel, as a 1×1 depthwise convolution with bias: oneDNN does it in one
            // pass, where ND4J's broadcasts and its batchnorm op took 5-10× longer. Scale and shift are computed
            // here step by step in float, as PyTorch's eval-mode norm does, not with the fused engine's folding
            // (ScaleShift, in double): a reference that shared the folding could not catch a mistake in it.
            Op.BatchNormWeights w = n.norm();
            INDArray scale = weight(w.gamma()).div(Transforms.sqrt(weight(w.var()).add(BatchNorm.EPS), true));
            INDArray shift = weight(w.beta()).sub(weight(w.mean()).mul(scale));
            int ch = n.outShape().channels();
            LeafOp.Step s = Convolutions.op(Conv2d.of(ch, ch, 1).groups(ch).bias(true),
                    scale.reshape('c', ch, 1, 1, 1), shift)
                    .prepare(n.outShape(), out(n));
            return row(n, v -> s.run(v[n.in()]));
        }

        @Override
        public Step act(Op.Act a) {
            INDArray out = out(a);
            return row(a, v -> Nd4j.exec(switch (a.kind()) {
                case RELU -> new RectifiedLinear(v[a.in()], out, 0.0);
                case RELU6 -> new Relu6(v[a.in()], out, 0.0);
            }));
        }

        @Override
        public Step add(Op.Add a) {
            unfused(a.activation() == null, a);
            INDArray out = out(a);
            return row(a, v -> Nd4j.exec(new AddOp(v[a.a()], v[a.b()], out)));
        }

        @Override
        public Step pool(Op.PoolOp p) {
            LeafOp.Step s = Pooling.prepare(p.pool(), p.inShape(), out(p));
            return row(p, v -> s.run(v[p.in()]));
        }

        @Override
        public Step globalPool(Op.GlobalPool g) {
            INDArray y = out(g).reshape('c', 1, g.inShape().channels());
            return row(g, v -> Nd4j.exec(new Mean(v[g.in()], y, 2, 3)));
        }

        @Override
        public Step linear(Op.Linear l) {
            INDArray w = weight(l.weight());
            INDArray b = weight(l.bias());
            INDArray y = out(l).reshape('c', 1, l.fc().out());
            return row(l, v -> {
                Nd4j.gemm(v[l.in()].reshape('c', 1, l.fc().in()), w, y, false, true, 1.0, 0.0);
                if (b != null) {
                    y.addiRowVector(b);
                }
            });
        }

        /**
         * ShuffleNet's channel shuffle (reshape to [g, C/g], transpose, flatten) is a permutation of whole
         * channels: one block copy per channel instead of a strided ND4J copy.
         */
        @Override
        public Step shuffle(Op.Shuffle s) {
            Shape in = s.outShape();
            long plane = (long) in.height() * in.width() * Float.BYTES;
            long perGroup = in.channels() / s.groups();
            BytePointer to = new BytePointer(out(s).data().addressPointer());
            return row(s, v -> {
                INDArray x = v[s.in()].isView() ? v[s.in()].dup('c') : v[s.in()];
                BytePointer from = new BytePointer(x.data().addressPointer());
                for (long k = 0; k < perGroup; k++) {
                    for (long i = 0; i < s.groups(); i++) {
                        to.position((k * s.groups() + i) * plane);
                        from.position((i * perGroup + k) * plane);
                        Pointer.memcpy(to, from, plane);
                    }
                }
            });
        }

        @Override
        public Step concat(Op.ConcatSlice c) {
            INDArray[] slices = new INDArray[c.parts().length];
            for (int k = 0; k < slices.length; k++) {
                long from = c.from()[k];
                slices[k] = out(c).get(NDArrayIndex.all(), NDArrayIndex.interval(from,
                        from + values[c.parts()[k]].size(1)), NDArrayIndex.all(), NDArrayIndex.all());
            }
            // no row: a summary shows a concatenation's branches, not the copy into place
            return new Step(c, v -> {
                for (int k = 0; k < slices.length; k++) {
                    slices[k].assign(v[c.parts()[k]]);
                }
            }, false);
        }

        /** The reference engine lowers with nothing fused; an op that says otherwise is a bug of the lowering. */
        private void unfused(boolean holds, Op op) {
            if (!holds) {
                throw new IllegalStateException("the reference engine runs unfused ops, but got " + op.path());
            }
        }
    }
}
