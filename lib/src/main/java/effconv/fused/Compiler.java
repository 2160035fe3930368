package effconv.fused;

import effconv.layers.Activation;
import effconv.layers.Conv2d;
import effconv.layers.Pool;
import effconv.lower.Lowered;
import effconv.lower.Op;
import effconv.lower.ScaleShift;
import effconv.lower.Weight;
import effconv.runtime.Dnnl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.dnnl.memory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fused engine's one case per lowered op ({@link Op.Visitor}: a new kind of op is a compile error here until
 * it has one). The lowering has made every fusion; what is decided here is the engine's own business: layouts,
 * which value a primitive may overwrite (one no later op reads), and what to do where a fusion cannot be taken
 * (a residual sum into a buffer still needed, or into a convolution run group by group: its own add).
 */
final class Compiler implements Op.Visitor<Plan.Value> {
    private final Plan plan;
    private final Lowered lowered;
    private final Map<String, INDArray> weights;
    private final Plan.Value[] values;
    /** The index of the last op that reads each value: after it, the value's buffer may be overwritten. */
    private final int[] lastRead;
    /** The index of the op being compiled. */
    private int at;

    private Compiler(Plan plan, Lowered lowered, Map<String, INDArray> weights) {
        this.plan = plan;
        this.lowered = lowered;
        this.weights = weights;
        this.values = new Plan.Value[lowered.values().size()];
        this.lastRead = new int[values.length];
        for (int i = 0; i < lowered.ops().size(); i++) {
            for (int v : lowered.ops().get(i).inputs()) {
                lastRead[v] = i;
            }
        }
    }

    /** Every op's primitives, in order; returns the network's output value. */
    static Plan.Value compile(Plan plan, Lowered lowered, Map<String, INDArray> weights) {
        Compiler c = new Compiler(plan, lowered, weights);
        c.values[0] = new Plan.Value(plan.inputMem, lowered.values().get(0), false);
        for (c.at = 0; c.at < lowered.ops().size(); c.at++) {
            Op op = lowered.ops().get(c.at);
            Plan.Value v = op.accept(c);
            if (!plan.take.keepLayouts()) {
                // as a library called layer by layer: every result handed back in NCHW, the next layer reorders it
                v = plan.as(v, Dnnl.md(v.shape().withBatch(1), memory.format_tag.nchw), "to NCHW");
            }
            c.values[op.out()] = v;
        }
        return c.values[lowered.output()];
    }

    /** Value {@code v} as the op being compiled sees it: writable only if it is ours and no later op reads it. */
    private Plan.Value arg(int v) {
        Plan.Value x = values[v];
        return writable(v) ? new Plan.Value(x.mem(), x.shape(), true) : x.shared();
    }

    private boolean writable(int v) {
        return v != 0 && !plan.isInput(values[v].mem()) && lastRead[v] <= at;
    }

    private float[] floats(Weight w) {
        return w == null ? null : weights.get(w.name()).castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private ScaleShift scaleShift(Op.BatchNormWeights n) {
        return ScaleShift.of(floats(n.gamma()), floats(n.beta()), floats(n.mean()), floats(n.var()));
    }

    private static String then(Activation.Kind kind) {
        return kind == null ? "" : " + " + kind.label();
    }

    @Override
    public Plan.Value conv(Op.Conv c) {
        float[] w = floats(c.weight());
        float[] b = floats(c.bias());
        if (c.foldedNorm() != null) {
            float[][] folded = scaleShift(c.foldedNorm()).fold(w, b);
            w = folded[0];
            b = folded[1];
        }
        String fused = (c.foldedNorm() == null ? "" : " + batch norm (folded)") + then(c.activation());
        return convolve(c, c.conv().toString(), fused, c.conv(), w, b, c.activation(), c.in(), c.sumInto(),
                c.afterSum(), c.splitGroups());
    }

    /** A batch norm on its own: a 1×1 depthwise convolution with the scale as weight, the shift as bias. */
    @Override
    public Plan.Value norm(Op.Norm n) {
        int ch = n.outShape().channels();
        float[][] ws = scaleShift(n.norm()).fold(null, null);
        return convolve(n, "batch norm (own primitive, as a 1×1 depthwise conv)", then(n.activation()),
                Conv2d.of(ch, ch, 1).groups(ch), ws[0], ws[1], n.activation(), n.in(), n.sumInto(), n.afterSum(),
                false);
    }

    /**
     * One convolution (or one per group), described as {@code what + fused}; its residual sum as a post-op into
     * the other value's buffer when that buffer may be overwritten, else as its own add.
     */
    private Plan.Value convolve(Op op, String what, String fused, Conv2d c, float[] w, float[] b,
                                Activation.Kind act, int in, int sumInto, Activation.Kind afterSum, boolean split) {
        Plan.Value x = arg(in);
        Plan.Value y;
        if (split) {
            y = Groups.apart(plan, c, w, b, act, fused, x);
        } else {
            ConvPrimitive.Sum sum = null;
            if (sumInto >= 0 && writable(sumInto) && values[sumInto].mem() != x.mem()
                    && values[sumInto].shape().equals(op.outShape())) {
                sum = new ConvPrimitive.Sum(values[sumInto], afterSum);
            }
            boolean output = op.out() == lowered.output();
            y = ConvPrimitive.make(plan, what + fused, c, w, b, act, x, sum, output, plan.tune,
                    alternatives(what, fused, c, w, b, act, x, sum, output));
            if (sum != null && sum.taken) {
                return y;
            }
        }
        return sumInto < 0 ? y : Kernels.add(plan, y, values[sumInto], afterSum);
    }

    /**
     * What an autotuner also times for a grouped (not depthwise) convolution: one primitive per group, as ND4J runs
     * it, and the same convolution with half the groups and zeros between them, where oneDNN's kernel for fewer,
     * wider groups is faster than for many narrow ones.
     */
    private List<Tuner.Alternative> alternatives(String what, String fused, Conv2d c, float[] w, float[] b,
                                                 Activation.Kind act, Plan.Value x, ConvPrimitive.Sum sum,
                                                 boolean output) {
        List<Tuner.Alternative> alts = new ArrayList<>();
        int g = c.groups();
        if (!plan.tune || g == 1 || g == c.inChannels()) {
            return alts;
        }
        alts.add(new Tuner.Alternative(Tuner.PER_GROUP, "a reorder in and out per group",
                () -> Tuner.alone(plan.take, x, p -> Groups.apart(p, c, w, b, act, "", p.inputOf(x))),
                () -> Groups.apart(plan, c, w, b, act, fused, x)));
        if (g % 2 == 0) {
            Conv2d fewer = c.groups(g / 2);
            float[] wide = Groups.merged(c, w, 2);
            alts.add(new Tuner.Alternative("as " + g / 2 + " groups", "zeros between the merged groups: 2× the MACs",
                    () -> Tuner.alone(plan.take, x, p -> ConvPrimitive.make(p, what, fewer, wide, b, act, p.inputOf(x),
                            null, false, false, List.of())),
                    () -> ConvPrimitive.make(plan, what + " as " + g / 2 + " groups" + fused, fewer, wide, b, act, x,
                            sum, output, false, List.of())));
        }
        return alts;
    }

    @Override
    public Plan.Value act(Op.Act a) {
        return Kernels.eltwise(plan, a.kind(), arg(a.in()));
    }

    @Override
    public Plan.Value add(Op.Add a) {
        return Kernels.add(plan, arg(a.a()), arg(a.b()), a.activation());
    }

    @Override
    public Plan.Value pool(Op.PoolOp p) {
        return Kernels.pool(plan, p.pool(), arg(p.in()));
    }

    @Override
    public Plan.Value globalPool(Op.GlobalPool g) {
        return Kernels.globalPool(plan, arg(g.in()));
    }

    @Override
    public Plan.Value linear(Op.Linear l) {
        return Kernels.linear(plan, l.fc(), floats(l.weight()), floats(l.bias()), arg(l.in()));
    }

    @Override
    public Plan.Value shuffle(Op.Shuffle s) {
        return Kernels.shuffle(plan, s.groups(), arg(s.in()));
    }

    @Override
    public Plan.Value concat(Op.ConcatSlice c) {
        List<Plan.Value> parts = new ArrayList<>();
        long[] from = new long[c.parts().length];
        for (int k = 0; k < from.length; k++) {
            parts.add(values[c.parts()[k]]);
            from[k] = c.from()[k];
        }
        return Kernels.concat(plan, parts, from, c.outShape());
    }

    /**
     * Refuses, before anything is built, what this engine cannot compute exactly as the reference engine does:
     * an average pool whose window runs past both the padding and the edge (ceil mode) divides by a count oneDNN
     * cannot express.
     */
    static void checkSupported(Lowered lowered) {
        for (Op op : lowered.ops()) {
            if (op instanceof Op.PoolOp po && po.pool().kind() == Pool.Kind.AVG && po.pool().padding() > 0
                    && (po.pool().overhang(po.inShape().height()) > 0 || po.pool().overhang(po.inShape().width()) > 0)) {
                throw new IllegalArgumentException("layer " + po.pool() + " is not allowed in a FusedNet: an average "
                        + "pool with both padding and ceil-mode overhang divides by a count oneDNN cannot "
                        + "express; run it with NdLayer");
            }
        }
    }
}
