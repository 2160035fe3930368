package effconv.fused;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import effconv.layers.Activation;
import effconv.layers.Conv2d;
import effconv.layers.Shape;
import effconv.runtime.Dnnl;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;

/**
 * One convolution primitive (grouped and depthwise ones too) with its folded bias and fused activation, and with a
 * {@link Sum}, its result added into another value's buffer (sum post-op) and the activation after the sum applied.
 * Layouts are tried in turn — oneDNN's choice, the input's own, channels-last, NCHW — and the first with a fast
 * (not reference, not gemm) kernel is kept; tuning times every fast one instead ({@link Tuner}).
 */
final class ConvPrimitive {
    private ConvPrimitive() {
    }

    /** A value a convolution may add its result into, and the activation after the sum; {@code taken} once it did. */
    static final class Sum {
        final Plan.Value target;
        final Activation.Kind after;
        boolean taken;

        Sum(Plan.Value target, Activation.Kind after) {
            this.target = target;
            this.after = after;
        }
    }

    private static final memory.format_tag[] PLAIN = {memory.format_tag.nhwc, memory.format_tag.nchw};

    /**
     * The primitive for {@code c} on {@code in}. {@code sum}: null, or where to add the result (taken only if a
     * kernel takes the post-op chain; the caller adds otherwise). {@code output}: the network's result, which a
     * kernel may write in the caller's layout directly. {@code tune}: time the candidate layouts and
     * {@code alternatives} (other ways to compute the same convolution) and make the fastest.
     */
    static Plan.Value make(Plan plan, String what, Conv2d c, float[] w, float[] b, Activation.Kind act,
                           Plan.Value in, Sum sum, boolean output, boolean tune, List<Tuner.Alternative> alternatives) {
        Shape os = c.outputShape(in.shape());
        long[] od = os.withBatch(1);
        long[] id = in.shape().withBatch(1);
        int k = c.kernel(), g = c.groups();
        long[] wd = g == 1 ? new long[] {c.outChannels(), c.inChannelsPerGroup(), k, k}
                : new long[] {g, c.outChannels() / g, c.inChannelsPerGroup(), k, k};
        memory.format_tag wtag = g == 1 ? memory.format_tag.oihw : memory.format_tag.goihw;
        convolution_forward.primitive_desc best = null;
        boolean summed = false;
        for (int attempt = 0; attempt < 2 && best == null; attempt++) {
            boolean withSum = sum != null && attempt == 0;
            primitive_attr attr = plan.attr(postOps(plan, act, withSum ? sum : null));
            memory.desc fixedDst = withSum ? sum.target.desc() : null;
            List<memory.desc[]> layouts = layouts(plan, in, id, od, fixedDst, output);
            // the first layout with a JIT kernel wins; a gemm-based kernel (im2col: slow for many small groups) only
            // if no layout has a JIT one; a reference kernel only if nothing else exists
            convolution_forward.primitive_desc first = null;
            convolution_forward.primitive_desc gemm = null;
            List<convolution_forward.primitive_desc> fast = new ArrayList<>(); // when tuning: every JIT candidate
            boolean tuning = tune && g > 1;
            for (memory.desc[] l : layouts) {
                convolution_forward.primitive_desc pd;
                try {
                    pd = new convolution_forward.primitive_desc(desc(c, l[0], Dnnl.md(wd, memory.format_tag.any),
                            b == null ? null : Dnnl.md(new long[] {c.outChannels()}, memory.format_tag.x), l[1]),
                            attr, Dnnl.engine());
                } catch (RuntimeException e) {
                    continue; // this layout (or this post-op chain) has no implementation: try the next
                }
                plan.keep.add(pd);
                String impl = Dnnl.impl(pd);
                first = first == null ? pd : first;
                if (impl.contains("gemm")) {
                    gemm = gemm == null ? pd : gemm;
                } else if (!Dnnl.isReference(impl)) {
                    if (!tuning) {
                        best = pd;
                        break;
                    }
                    if (fast.stream().noneMatch(f -> Dnnl.impl(f).equals(impl) && f.src_desc().equals(pd.src_desc())
                            && f.dst_desc().equals(pd.dst_desc()))) {
                        fast.add(pd); // two layout requests often resolve to one candidate: timed once
                    }
                }
            }
            if (tuning && gemm != null) {
                fast.add(gemm); // timed too: for some shapes the im2col kernel wins
            }
            if (tuning && !fast.isEmpty()) {
                int chosen = Tuner.fastest(fast, in.desc(), id, od, what, plan.choices, alternatives);
                if (chosen >= fast.size()) {
                    return alternatives.get(chosen - fast.size()).make().get(); // another way is faster
                }
                best = fast.get(chosen);
            }
            best = best == null ? gemm : best;
            summed = best != null && withSum;
            if (best == null && !withSum) {
                best = first; // only reference kernels: keep it, fallbacks() reports it
            }
        }
        if (best == null) {
            throw new IllegalStateException("no oneDNN convolution for " + c + " on " + in.shape());
        }
        Plan.Value src = plan.as(in, best.src_desc(), "input of " + c);
        memory wm = Dnnl.constant(wd, wtag, w, best.weights_desc(), "the weights of " + c, plan.keep);
        plan.count(best.weights_desc().get_size());
        IntMemoryMap args = new IntMemoryMap().put(DNNL_ARG_SRC, src.mem()).put(DNNL_ARG_WEIGHTS, wm);
        if (b != null) {
            memory bm = Dnnl.constant(new long[] {c.outChannels()}, memory.format_tag.x, b, best.bias_desc(),
                    "the bias of " + c, plan.keep);
            plan.count(best.bias_desc().get_size());
            args.put(DNNL_ARG_BIAS, bm);
        }
        memory dst = summed ? sum.target.mem() : plan.alloc(best.dst_desc(), "the output of " + c);
        args.put(DNNL_ARG_DST, dst);
        if (summed) {
            sum.taken = true;
            what += " + residual sum" + (sum.after == null ? "" : " + " + sum.after.label());
        }
        plan.add(what, best, new convolution_forward(best), args);
        return new Plan.Value(dst, os, true);
    }

    /** The activation, then (with a sum) the sum and the activation after it. */
    private static post_ops postOps(Plan plan, Activation.Kind act, Sum sum) {
        post_ops po = new post_ops();
        if (act != null) {
            appendActivation(po, act);
        }
        if (sum != null) {
            po.append_sum(); // scale 1
            if (sum.after != null) {
                appendActivation(po, sum.after);
            }
        }
        plan.keep.add(po);
        return po;
    }

    static void appendActivation(post_ops po, Activation.Kind kind) {
        Dnnl.Eltwise e = Dnnl.Eltwise.of(kind);
        po.append_eltwise(1f, e.algorithm(), e.alpha(), e.beta());
    }

    /** The {source, destination} layouts to ask for, in order of preference. */
    private static List<memory.desc[]> layouts(Plan plan, Plan.Value in, long[] id, long[] od, memory.desc fixedDst,
                                               boolean output) {
        memory.format_tag inTag = Plan.tagOf(in.desc(), id);
        List<memory.desc[]> layouts = new ArrayList<>();
        if (output && fixedDst == null) {
            // the network's last primitive: writing the caller's layout itself, if a fast kernel can, saves the
            // final reorder
            layouts.add(new memory.desc[] {Dnnl.md(id, memory.format_tag.any), Dnnl.md(od, plan.io)});
        }
        layouts.add(new memory.desc[] {Dnnl.md(id, memory.format_tag.any),
            fixedDst != null ? fixedDst : Dnnl.md(od, memory.format_tag.any)});
        if (inTag != null) {
            layouts.add(new memory.desc[] {in.desc(), fixedDst != null ? fixedDst : Dnnl.md(od, inTag)});
        }
        for (memory.format_tag t : PLAIN) {
            layouts.add(new memory.desc[] {Dnnl.md(id, t), fixedDst != null ? fixedDst : Dnnl.md(od, t)});
        }
        return layouts;
    }

    private static convolution_forward.desc desc(Conv2d c, memory.desc src, memory.desc w, memory.desc b,
                                                 memory.desc dst) {
        long[] strides = {c.stride(), c.stride()};
        long[] pad = {c.padding(), c.padding()};
        long[] dil = {c.dilation() - 1, c.dilation() - 1}; // oneDNN counts the gaps, PyTorch the spacing
        if (b == null) {
            return new convolution_forward.desc(prop_kind.forward_inference, algorithm.convolution_direct, src, w,
                    dst, strides, dil, pad, pad);
        }
        return new convolution_forward.desc(prop_kind.forward_inference, algorithm.convolution_direct, src, w, b,
                dst, strides, dil, pad, pad);
    }
}
