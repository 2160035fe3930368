package effconv.fused;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_0;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_1;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import effconv.layers.Activation;
import effconv.layers.FullyConnected;
import effconv.layers.Pool;
import effconv.layers.Shape;
import effconv.runtime.Dnnl;
import java.util.List;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.binary;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.inner_product_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;

/** The primitives other than convolutions, one method per kind, each added to a {@link Plan}. */
final class Kernels {
    private Kernels() {
    }

    /** y = a + b, then an optional activation: a residual sum no convolution could take. */
    static Plan.Value add(Plan plan, Plan.Value a, Plan.Value b, Activation.Kind after) {
        b = plan.as(b, a.desc(), "the shortcut, to the other branch's layout"); // mixed layouts: a reference kernel
        binary.desc d = new binary.desc(algorithm.binary_add, a.desc(), b.desc(), a.desc());
        // no eltwise post-op here: oneDNN 2.5.2's binary kernel with one crashed on blocked (8-channel) layouts on
        // an AVX-512 machine, so the activation runs after it, in place
        binary.primitive_desc pd = new binary.primitive_desc(d, plan.attr(null), Dnnl.engine());
        memory dst = plan.alloc(pd.dst_desc(), "a residual sum");
        plan.add("residual add (own primitive)", pd, new binary(pd),
                new IntMemoryMap().put(DNNL_ARG_SRC_0, a.mem()).put(DNNL_ARG_SRC_1, b.mem()).put(DNNL_ARG_DST, dst));
        Plan.Value sum = new Plan.Value(dst, a.shape(), true);
        return after == null ? sum : eltwise(plan, after, sum);
    }

    /** An activation on its own (not after a convolution): in place when the input may be overwritten. */
    static Plan.Value eltwise(Plan plan, Activation.Kind kind, Plan.Value in) {
        Dnnl.Eltwise e = Dnnl.Eltwise.of(kind);
        eltwise_forward.desc d = new eltwise_forward.desc(prop_kind.forward_inference, e.algorithm(), in.desc(),
                e.alpha(), e.beta());
        eltwise_forward.primitive_desc pd = new eltwise_forward.primitive_desc(d, plan.attr(null), Dnnl.engine());
        memory dst = in.owned() ? in.mem() : plan.alloc(pd.dst_desc(), "the output of " + kind.label());
        plan.add(kind.label() + (in.owned() ? " (own primitive, in place)" : " (own primitive)"), pd,
                new eltwise_forward(pd), new IntMemoryMap().put(DNNL_ARG_SRC, in.mem()).put(DNNL_ARG_DST, dst));
        return new Plan.Value(dst, in.shape(), true);
    }

    /** Max or average pooling with PyTorch's semantics; ceil mode as extra right padding. */
    static Plan.Value pool(Plan plan, Pool p, Plan.Value in) {
        Shape os = p.outputShape(in.shape());
        int k = p.kernel(), s = p.stride(), pad = p.padding();
        long padB = (long) (os.height() - 1) * s + k - in.shape().height() - pad;
        long padR = (long) (os.width() - 1) * s + k - in.shape().width() - pad;
        boolean overhang = p.overhang(in.shape().height()) > 0 || p.overhang(in.shape().width()) > 0;
        algorithm alg = switch (p.kind()) {
            case MAX -> algorithm.pooling_max;
            // PyTorch counts the symmetric padding in an average, but not a ceil-mode window's overhang
            case AVG -> overhang ? algorithm.pooling_avg_exclude_padding : algorithm.pooling_avg_include_padding;
        };
        return poolWith(plan, p.toString(), alg, in, os, new long[] {s, s}, new long[] {k, k}, new long[] {pad, pad},
                new long[] {Math.max(0, padB), Math.max(0, padR)});
    }

    static Plan.Value globalPool(Plan plan, Plan.Value in) {
        Shape is = in.shape();
        return poolWith(plan, "global average pool", algorithm.pooling_avg_exclude_padding, in,
                Shape.of(is.channels(), 1), new long[] {is.height(), is.width()}, new long[] {is.height(), is.width()},
                new long[] {0, 0}, new long[] {0, 0});
    }

    private static Plan.Value poolWith(Plan plan, String what, algorithm alg, Plan.Value in, Shape os, long[] strides,
                                       long[] kernel, long[] padL, long[] padR) {
        pooling_forward.desc d = new pooling_forward.desc(prop_kind.forward_inference, alg, in.desc(),
                Dnnl.md(os.withBatch(1), memory.format_tag.any), strides, kernel, padL, padR);
        pooling_forward.primitive_desc pd = new pooling_forward.primitive_desc(d, plan.attr(null), Dnnl.engine());
        memory dst = plan.alloc(pd.dst_desc(), "the output of " + what);
        plan.add(what, pd, new pooling_forward(pd),
                new IntMemoryMap().put(DNNL_ARG_SRC, in.mem()).put(DNNL_ARG_DST, dst));
        return new Plan.Value(dst, os, true);
    }

    /** A fully connected layer as an inner product over the input's own layout (flattened as PyTorch does). */
    static Plan.Value linear(Plan plan, FullyConnected fc, float[] w, float[] b, Plan.Value in) {
        long[] id = in.shape().withBatch(1);
        long[] wd = {fc.out(), id[1], id[2], id[3]};
        memory.desc bd = b == null ? null : Dnnl.md(new long[] {fc.out()}, memory.format_tag.x);
        memory.desc dd = Dnnl.md(new long[] {1, fc.out()}, memory.format_tag.nc);
        inner_product_forward.desc d = b == null
                ? new inner_product_forward.desc(prop_kind.forward_inference, in.desc(),
                        Dnnl.md(wd, memory.format_tag.any), dd)
                : new inner_product_forward.desc(prop_kind.forward_inference, in.desc(),
                        Dnnl.md(wd, memory.format_tag.any), bd, dd);
        inner_product_forward.primitive_desc pd = new inner_product_forward.primitive_desc(d, plan.attr(null),
                Dnnl.engine());
        Plan.Value src = plan.as(in, pd.src_desc(), "input of " + fc);
        memory wm = Dnnl.constant(wd, memory.format_tag.oihw, w, pd.weights_desc(), "the weights of " + fc, plan.keep);
        plan.count(pd.weights_desc().get_size());
        memory dst = plan.alloc(pd.dst_desc(), "the output of " + fc);
        IntMemoryMap args = new IntMemoryMap().put(DNNL_ARG_SRC, src.mem()).put(DNNL_ARG_WEIGHTS, wm)
                .put(DNNL_ARG_DST, dst);
        if (b != null) {
            args.put(DNNL_ARG_BIAS, Dnnl.constant(new long[] {fc.out()}, memory.format_tag.x, b, pd.bias_desc(),
                    "the bias of " + fc, plan.keep));
            plan.count(pd.bias_desc().get_size());
        }
        plan.add("Linear(" + fc.in() + ", " + fc.out() + ")", pd, new inner_product_forward(pd), args);
        // the same bytes seen as [1, out, 1, 1], as the spec's shape says
        memory as4d = plan.view(Dnnl.md(new long[] {1, fc.out(), 1, 1}, memory.format_tag.nchw), dst);
        return new Plan.Value(as4d, Shape.of(fc.out(), 1), true);
    }

    /**
     * The channel shuffle as one reorder: the input seen as [1, g, C/g, H, W], written where channel
     * i·(C/g) + j goes, j·g + i — a copy with permuted strides, in a plain layout (a blocked one is first
     * reordered to channels-last).
     */
    static Plan.Value shuffle(Plan plan, int groups, Plan.Value in) {
        Shape sh = in.shape();
        long[] id = sh.withBatch(1);
        memory.format_tag tag = Plan.tagOf(in.desc(), id);
        if (tag != memory.format_tag.nhwc && tag != memory.format_tag.nchw) {
            in = plan.as(in, Dnnl.md(id, memory.format_tag.nhwc), "to channels-last for the shuffle");
            tag = memory.format_tag.nhwc;
        }
        long c = sh.channels(), h = sh.height(), w = sh.width(), g = groups, per = c / g;
        long cs = tag == memory.format_tag.nhwc ? 1 : h * w;
        long hs = tag == memory.format_tag.nhwc ? w * c : w;
        long ws = tag == memory.format_tag.nhwc ? c : 1;
        long[] dims = {1, g, per, h, w};
        memory.desc from = new memory.desc(dims, Dnnl.F32, new long[] {c * h * w, per * cs, cs, hs, ws});
        memory.desc to = new memory.desc(dims, Dnnl.F32, new long[] {c * h * w, cs, g * cs, hs, ws});
        memory out = plan.alloc(Dnnl.md(id, tag), "the output of ChannelShuffle(groups=" + groups + ")");
        plan.reorderStep("channel shuffle (g = " + g + ") as one reorder", plan.view(from, in.mem()),
                plan.view(to, out));
        return new Plan.Value(out, sh, true);
    }

    /** The branches' results, each reordered into its slice of one channels-last output. */
    static Plan.Value concat(Plan plan, List<Plan.Value> parts, long[] from, Shape os) {
        memory.desc outDesc = Dnnl.md(os.withBatch(1), memory.format_tag.nhwc);
        memory out = plan.alloc(outDesc, "the output of a concatenation");
        for (int k = 0; k < parts.size(); k++) {
            long[] pd = parts.get(k).shape().withBatch(1);
            memory slice = plan.view(outDesc.submemory_desc(pd, new long[] {0, from[k], 0, 0}), out);
            plan.reorderStep("concatenate channels " + from[k] + "…" + (from[k] + pd[1] - 1), parts.get(k).mem(),
                    slice);
        }
        return new Plan.Value(out, os, true);
    }
}
