package effconv.fused;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCRATCHPAD;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_0;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_1;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

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
import effconv.lower.Fusions;
import effconv.lower.Lowering;
import effconv.nd.Dnnl;
import effconv.nd.MemoryGuard;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.binary;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.global.dnnl.scratchpad_mode;
import org.bytedeco.dnnl.inner_product_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.primitive_desc_base;
import org.bytedeco.dnnl.reorder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The primitives of one {@link FusedNet} for one input shape, with every buffer they touch. Built by walking the
 * spec as {@link NdLayer} does (so weights are taken in the same order), fusing as it goes — each fusion only if
 * its {@link FusedNet.Steps} switch is on ({@link Groups} holds the one unfused form that needs more than a line).
 */
final class Plan {

    /** One primitive with its arguments; {@code what} and {@code impl} describe it. */
    private record Step(String what, String impl, primitive p, IntMemoryMap args) {
    }

    /**
     * An activation between primitives: its memory (whose descriptor is its layout), its shape, and whether this
     * plan may overwrite it (false for the caller's input and for a value another branch still reads).
     */
    record Value(memory mem, Shape shape, boolean owned) {
        memory.desc desc() {
            return mem.get_desc();
        }

        Value shared() {
            return new Value(mem, shape, false);
        }
    }

    /**
     * Where a branch may end: added into {@code target} by its last convolution's sum post-op, then
     * {@code after} applied. {@code used} says whether the branch took it.
     */
    private static final class Tail {
        final Value target;
        final Activation after;
        boolean used;

        Tail(Value target, Activation after) {
            this.target = target;
            this.after = after;
        }
    }

    private final Shape input;
    private final FusedNet.Steps take; // which fusions to make
    /** Time the candidates of each grouped convolution and keep the fastest ({@link FusedNet#tuned()}). */
    private final boolean tune;
    /** What the tuner chose, per grouped convolution, with every candidate's time. */
    private final List<Tuner.Choice> choices = new ArrayList<>();
    /** The caller's layout, of the input and of the output: NCHW (PyTorch's default) or channels-last (NHWC). */
    private final memory.format_tag io;
    private final List<Step> steps = new ArrayList<>();
    private final List<Object> keep = new ArrayList<>(); // every buffer and memory the primitives use
    private final memory inputMem;
    private INDArray output;
    private memory outputMem;
    private final Iterator<INDArray> weights;
    private long bytes;
    private long scratchBytes;
    private memory scratch;
    private final List<IntMemoryMap> needScratch = new ArrayList<>();
    /** Every memory over each buffer of ours, by the buffer's address: all of them move if the buffer does. */
    private final java.util.Map<Long, List<memory>> aliases = new java.util.HashMap<>();
    /** Views of the caller's input (a shuffle reading it in place): their handle is set per run, as the input's. */
    private final List<memory> inputViews = new ArrayList<>();

    private Plan(Shape input, List<INDArray> weights, FusedNet.Steps take, boolean channelsLast, boolean tune) {
        this.input = input;
        this.take = take;
        this.tune = tune;
        this.io = channelsLast ? memory.format_tag.nhwc : memory.format_tag.nchw;
        this.weights = weights.iterator();
        this.inputMem = new memory(Dnnl.md(input.withBatch(1), io), Dnnl.engine(),
                (Pointer) null);
    }

    Shape input() {
        return input;
    }

    long bytes() {
        return bytes;
    }

    /** Refuses, before anything is built, what this path cannot compute exactly as the ND4J path does. */
    static void checkSupported(Layer l, Shape in) {
        // the lowering refuses what no engine can run (a lone Add), naming the layer and what a spec may hold
        Lowering.lower(l, in, Fusions.all());
        for (Layer.Leaf leaf : l.leaves(in)) {
            if (leaf.layer() instanceof Pool p && p.kind() == Pool.Kind.AVG && p.padding() > 0 && p.ceil()) {
                Shape o = p.outputShape(leaf.input());
                if ((o.height() - 1) * p.stride() + p.kernel() > leaf.input().height() + 2 * p.padding()
                        || (o.width() - 1) * p.stride() + p.kernel() > leaf.input().width() + 2 * p.padding()) {
                    throw new IllegalArgumentException("layer " + p + " is not allowed in a FusedNet: an average "
                            + "pool with both padding and ceil-mode overhang divides by a count oneDNN cannot "
                            + "express; run it with NdLayer");
                }
            }
        }
    }

    static Plan build(Layer spec, Shape in, List<INDArray> weights, FusedNet.Steps take, boolean channelsLast,
                      boolean tune) {
        MemoryGuard.check("compiling " + spec.getClass().getSimpleName() + " for " + in
                + " (weights and every layer's output)", FusedNet.estimate(spec, in, weights, take));
        Plan p = new Plan(in, weights, take, channelsLast, tune);
        try {
            Value out = p.layer(spec, new Value(p.inputMem, in, false), null, true);
            p.finish(out);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            // oneDNN refusing a descriptor: a bug of this class, not of the student's input; say which layer
            throw new IllegalStateException("oneDNN could not build a primitive for " + spec + " on " + in + ": "
                    + e.getMessage(), e);
        }
        if (p.weights.hasNext()) {
            throw new IllegalStateException("weights left over after compiling " + spec);
        }
        return p;
    }

    // ------------------------------------------------------------------------------------------------ running

    INDArray run(Pointer data, INDArray keepAlive) {
        inputMem.set_data_handle(data);
        for (memory v : inputViews) {
            v.set_data_handle(data);
        }
        try {
            for (Step s : steps) {
                s.p().execute(Dnnl.stream(), s.args());
            }
            Dnnl.stream()._wait();
        } finally {
            inputMem.set_data_handle(new Pointer()); // never keep a pointer into the caller's array
            for (memory v : inputViews) {
                v.set_data_handle(new Pointer());
            }
        }
        java.lang.ref.Reference.reachabilityFence(keepAlive);
        return output;
    }

    List<Tuner.Choice> choices() {
        return List.copyOf(choices);
    }

    List<String> describe() {
        return steps.stream().map(s -> s.what() + " [" + s.impl() + "]").toList();
    }

    // ------------------------------------------------------------------------------------------------ building

    private void add(String what, primitive_desc_base pd, primitive p, IntMemoryMap args) {
        if (pd != null && pd.scratchpad_desc().get_size() > 0) {
            scratchBytes = Math.max(scratchBytes, pd.scratchpad_desc().get_size());
            needScratch.add(args);
        }
        steps.add(new Step(what, pd == null ? "reorder" : Dnnl.impl(pd), p, args));
        keep.add(pd);
        keep.add(p);
        keep.add(args);
    }

    memory alloc(memory.desc d, String what) {
        bytes += d.get_size();
        memory m = Dnnl.memory(d, what, keep);
        aliases.computeIfAbsent(m.get_data_handle().address(), k -> new ArrayList<>()).add(m);
        return m;
    }

    /** Another descriptor over the buffer of {@code base} (a strided or offset view), moved with it. */
    memory view(memory.desc d, memory base) {
        boolean input = base == inputMem || inputViews.contains(base);
        memory m = new memory(d, Dnnl.engine(), input ? new Pointer() : base.get_data_handle());
        keep.add(m);
        if (input) {
            inputViews.add(m);
        } else {
            aliases.get(base.get_data_handle().address()).add(m);
        }
        return m;
    }

    private primitive_attr attr(post_ops po) {
        primitive_attr a = new primitive_attr();
        a.set_scratchpad_mode(scratchpad_mode.user); // oneDNN's temporaries in a buffer the memory guard counts
        if (po != null) {
            a.set_post_ops(po);
        }
        keep.add(a);
        return a;
    }

    private void finish(Value out) {
        Shape os = out.shape();
        long[] shape = io == memory.format_tag.nhwc ? new long[] {1, os.height(), os.width(), os.channels()}
                : os.withBatch(1);
        output = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        bytes += MemoryGuard.floatBytes(out.shape().numel());
        Pointer target = new Pointer(output.data().addressPointer());
        memory.desc callers = Dnnl.md(out.shape().withBatch(1), io); // the caller's layout
        List<memory> same = out.mem() == inputMem || inputViews.contains(out.mem()) ? null
                : aliases.get(out.mem().get_data_handle().address());
        if (out.desc().equals(callers) && same != null) {
            // the result is already in PyTorch's layout: the primitives write it straight into the returned array
            for (memory m : same) {
                m.set_data_handle(target);
            }
            keep.add(output);
        } else {
            outputMem = new memory(callers, Dnnl.engine(), target);
            keep.add(outputMem);
            reorderStep(io == memory.format_tag.nhwc ? "output to NHWC" : "output to NCHW", out.mem(), outputMem);
        }
        if (scratchBytes > 0) {
            scratch = alloc(Dnnl.md(new long[] {(scratchBytes + 3) / 4}, memory.format_tag.x), "oneDNN's scratchpad");
            for (IntMemoryMap m : needScratch) {
                m.put(DNNL_ARG_SCRATCHPAD, scratch);
            }
        }
    }

    void reorderStep(String what, memory from, memory to) {
        reorder.primitive_desc pd = new reorder.primitive_desc(from, to);
        keep.add(from);
        keep.add(to);
        add(what, pd, new reorder(pd), new IntMemoryMap().put(DNNL_ARG_FROM, from).put(DNNL_ARG_TO, to));
    }

    /** The value in layout {@code want}: itself, or a copy reordered into a new buffer. */
    Value as(Value v, memory.desc want, String what) {
        if (v.desc().equals(want)) {
            return v;
        }
        memory dst = alloc(want, what);
        reorderStep("reorder " + what, v.mem(), dst);
        return new Value(dst, v.shape(), true);
    }

    /** Nested sequences (a separable conv inside a network) as one list, so batch norm can fold across them. */
    private static void flatten(Layer l, List<Layer> out) {
        l.accept(new Layer.Visitor<Void>() {
            private Void leaf(Layer x) {
                out.add(x);
                return null;
            }

            @Override public Void named(Named n) { flatten(n.layer(), out); return null; }
            @Override public Void composite(Composite c) { flatten(c.graph(), out); return null; }

            @Override
            public Void sequence(Sequence s) {
                for (Layer c : s.layers()) {
                    flatten(c, out);
                }
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
        });
    }

    private Value layer(Layer l, Value in, Tail tail) {
        return layer(l, in, tail, false);
    }

    /** {@code output}: the layer's result is the network's, returned to the caller in NCHW. */
    private Value layer(Layer l, Value in, Tail tail, boolean output) {
        List<Layer> flat = new ArrayList<>();
        flatten(l, flat);
        return sequence(flat, in, tail, output);
    }

    private Value sequence(List<Layer> flat, Value in, Tail tail, boolean output) {
        Walk w = new Walk(flat, tail, output);
        w.cur = in;
        while (w.i < flat.size()) {
            w.next = w.i + 1;
            Value cur = flat.get(w.i).accept(w);
            if (!take.keepLayouts()) {
                // as a library called layer by layer: every result handed back in NCHW, the next layer reorders it
                cur = as(cur, Dnnl.md(cur.shape().withBatch(1), memory.format_tag.nchw), "to NCHW");
            }
            w.cur = cur;
            w.i = w.next;
        }
        return w.cur;
    }

    /**
     * One turn of {@link #sequence}: the primitive(s) for the leaf at {@code i}, and where the walk goes on
     * ({@code next}, past what it absorbed). A {@link Layer.Visitor}, so a new kind of layer is a compile error here.
     */
    private final class Walk implements Layer.Visitor<Value> {
        final List<Layer> flat;
        final Tail tail;
        final boolean output;
        Value cur;
        int i;
        int next;

        Walk(List<Layer> flat, Tail tail, boolean output) {
            this.flat = flat;
            this.tail = tail;
            this.output = output;
        }

        @Override
        public Value conv(ConvLayer c) {
            return convOrNorm(c);
        }

        @Override
        public Value batchNorm(BatchNorm b) {
            return convOrNorm(b);
        }

        private Value convOrNorm(Layer l) {
            Value result;
            int i = this.i;
            Conv2d c;
            float[] w;
            float[] b;
            if (l instanceof ConvLayer cl) {
                c = cl.toConv2d();
                w = floats(weights.next());
                b = c.bias() ? floats(weights.next()) : null;
            } else {
                // batch norm on its own: a 1×1 depthwise convolution with the scale as weight, the shift as bias
                int ch = ((BatchNorm) l).channels();
                c = Conv2d.of(ch, ch, 1).groups(ch);
                w = ones(ch);
                b = null;
                next = i; // the batch norm itself is folded below
            }
            // a batch norm's own numbers always go into its 1×1 convolution; the batch norm after a
            // convolution only when folding is on (off, the next turn of the loop runs it on its own)
            boolean folded = next < flat.size() && flat.get(next) instanceof BatchNorm
                    && (next == i || take.foldBatchNorm());
            if (folded) {
                float[][] f = fold(w, b, c.outChannels());
                w = f[0];
                b = f[1];
                next++;
            }
            Activation act = fusable(flat, next);
            if (act != null) {
                next++;
            }
            // a batch norm's whole description; what follows a convolution's
            String what = (l instanceof BatchNorm ? "batch norm (own primitive, as a 1×1 depthwise conv)"
                    : folded ? " + batch norm (folded)" : "") + (act == null ? "" : " + " + act.torchType());
            if (c.groups() > 1 && c.groups() < c.inChannels() && !take.groupedPrimitive()) {
                result = Groups.apart(Plan.this, c, w, b, act, what, cur);
            } else {
                boolean last = next == flat.size();
                result = Plan.this.conv(l instanceof BatchNorm ? what : c + what, c, w, b, act, cur, last ? tail : null,
                        output && last);
            }
            return result;
        }

        @Override
        public Value residual(Residual r) {
            Activation after = fusable(flat, next);
            if (after != null) {
                next++;
            }
            return Plan.this.residual(r, cur, after);
        }

        @Override
        public Value activation(Activation a) {
            return eltwise(a, cur);
        }

        @Override
        public Value pool(Pool p) {
            return Plan.this.pool(p, cur);
        }

        @Override
        public Value globalAvgPool(GlobalAvgPool g) {
            return globalPool(cur);
        }

        @Override
        public Value fullyConnected(FullyConnected fc) {
            return linear(fc, cur);
        }

        @Override
        public Value shuffle(ChannelShuffle s) {
            return Plan.this.shuffle(s, cur);
        }

        @Override
        public Value concat(Concat c) {
            return Plan.this.concat(c, cur);
        }

        @Override
        public Value add(Residual.Add a) {
            return refuse(a);
        }

        // flattened away before the walk; refused as before should one ever reach it
        @Override
        public Value named(Named n) {
            return refuse(n);
        }

        @Override
        public Value sequence(Sequence s) {
            return refuse(s);
        }

        @Override
        public Value composite(Composite c) {
            return refuse(c);
        }

        private Value refuse(Layer l) {
            throw new IllegalArgumentException("layer " + l + " is not allowed in a FusedNet: it cannot run a "
                    + l.getClass().getSimpleName() + " (use NdLayer)");
        }
    }

    /** The activation at {@code i}, to be fused as a post-op, or null (none there, or fusing switched off). */
    private Activation fusable(List<Layer> flat, int i) {
        return take.fuseActivations() && i < flat.size() && flat.get(i) instanceof Activation a ? a : null;
    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private static float[] ones(int n) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, 1f);
        return f;
    }

    /** Folds the next batch norm's γ, β, μ, σ² into a convolution's weights and bias. */
    private float[][] fold(float[] w, float[] b, int out) {
        float[] gamma = floats(weights.next());
        float[] beta = floats(weights.next());
        float[] mean = floats(weights.next());
        float[] var = floats(weights.next());
        int per = w.length / out;
        float[] fw = new float[w.length];
        float[] fb = new float[out];
        for (int o = 0; o < out; o++) {
            double scale = gamma[o] / Math.sqrt(var[o] + BatchNorm.EPS);
            for (int k = 0; k < per; k++) {
                fw[o * per + k] = (float) (w[o * per + k] * scale);
            }
            fb[o] = (float) (((b == null ? 0 : b[o]) - mean[o]) * scale + beta[o]);
        }
        return new float[][] {fw, fb};
    }

    private static void appendActivation(post_ops po, Activation a) {
        if (a.kind() == Activation.Kind.RELU) {
            po.append_eltwise(1f, algorithm.eltwise_relu, 0f, 0f);
        } else {
            po.append_eltwise(1f, algorithm.eltwise_clip, 0f, 6f);
        }
    }

    private static final memory.format_tag[] PLAIN = {memory.format_tag.nhwc, memory.format_tag.nchw};

    /** The format tag that describes {@code d} exactly, or null (a blocked layout this class does not name). */
    static memory.format_tag tagOf(memory.desc d, long[] dims) {
        for (memory.format_tag t : new memory.format_tag[] {memory.format_tag.nhwc, memory.format_tag.nchw,
            memory.format_tag.nChw8c, memory.format_tag.nChw16c}) {
            if (Dnnl.md(dims, t).equals(d)) {
                return t;
            }
        }
        return null;
    }

    /**
     * One convolution primitive (grouped and depthwise ones too), with its folded bias and fused activation; with
     * a tail, its result is added into the tail's buffer (sum post-op) and the tail's activation applied. Layouts
     * are tried in turn — oneDNN's choice, the input's own, channels-last — and the first with a fast (non
     * reference) kernel is kept.
     */
    Value conv(String what, Conv2d c, float[] w, float[] b, Activation act, Value in, Tail tail, boolean output) {
        Shape os = c.outputShape(in.shape());
        long[] od = os.withBatch(1);
        long[] id = in.shape().withBatch(1);
        int k = c.kernel(), g = c.groups();
        long[] wd = g == 1 ? new long[] {c.outChannels(), c.inChannelsPerGroup(), k, k}
                : new long[] {g, c.outChannels() / g, c.inChannelsPerGroup(), k, k};
        memory.format_tag wtag = g == 1 ? memory.format_tag.oihw : memory.format_tag.goihw;
        boolean withTail = tail != null && take.fuseActivations() && tail.target.owned()
                && tail.target.mem() != in.mem() && tail.target.shape().equals(os);
        convolution_forward.primitive_desc best = null;
        boolean summed = false;
        for (int attempt = 0; attempt < 2 && best == null; attempt++) {
            boolean sum = withTail && attempt == 0;
            post_ops po = new post_ops();
            if (act != null) {
                appendActivation(po, act);
            }
            if (sum) {
                po.append_sum(); // scale 1
                if (tail.after != null) {
                    appendActivation(po, tail.after);
                }
            }
            keep.add(po);
            primitive_attr attr = attr(po);
            memory.format_tag inTag = tagOf(in.desc(), id);
            List<memory.desc[]> layouts = new ArrayList<>();
            memory.desc fixedDst = sum ? tail.target.desc() : null;
            if (output && fixedDst == null) {
                // the network's last primitive: writing the caller's layout itself, if a fast kernel can, saves the
                // final reorder
                layouts.add(new memory.desc[] {Dnnl.md(id, memory.format_tag.any), Dnnl.md(od, io)});
            }
            layouts.add(new memory.desc[] {Dnnl.md(id, memory.format_tag.any),
                fixedDst != null ? fixedDst : Dnnl.md(od, memory.format_tag.any)});
            if (inTag != null) {
                layouts.add(new memory.desc[] {in.desc(), fixedDst != null ? fixedDst : Dnnl.md(od, inTag)});
            }
            for (memory.format_tag t : PLAIN) {
                layouts.add(new memory.desc[] {Dnnl.md(id, t), fixedDst != null ? fixedDst : Dnnl.md(od, t)});
            }
            // the first layout with a JIT kernel wins; a gemm-based kernel (im2col: slow for many small groups) only
            // if no layout has a JIT one; a reference kernel only if nothing else exists
            convolution_forward.primitive_desc first = null;
            convolution_forward.primitive_desc gemm = null;
            List<convolution_forward.primitive_desc> fast = new ArrayList<>(); // when tuning: every JIT candidate
            boolean tuning = tune && g > 1;
            for (memory.desc[] l : layouts) {
                convolution_forward.primitive_desc pd;
                try {
                    pd = new convolution_forward.primitive_desc(convDesc(c, l[0], Dnnl.md(wd, memory.format_tag.any),
                            b == null ? null : Dnnl.md(new long[] {c.outChannels()}, memory.format_tag.x), l[1]),
                            attr, Dnnl.engine());
                } catch (RuntimeException e) {
                    continue; // this layout (or this post-op chain) has no implementation: try the next
                }
                keep.add(pd);
                String impl = Dnnl.impl(pd);
                if (first == null) {
                    first = pd;
                }
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
                best = Tuner.fastest(fast, in.desc(), id, od, what, choices);
            }
            if (best == null && gemm != null) {
                best = gemm;
            }
            summed = best != null && sum;
            if (best == null && !sum) {
                best = first; // only reference kernels: keep it, fallbacks() reports it
            }
        }
        if (best == null) {
            throw new IllegalStateException("no oneDNN convolution for " + c + " on " + in.shape());
        }
        Value src = as(in, best.src_desc(), "input of " + c);
        memory wm = Dnnl.constant(wd, wtag, w, best.weights_desc(), "the weights of " + c, keep);
        bytes += best.weights_desc().get_size();
        IntMemoryMap args = new IntMemoryMap().put(DNNL_ARG_SRC, src.mem()).put(DNNL_ARG_WEIGHTS, wm);
        if (b != null) {
            memory bm = Dnnl.constant(new long[] {c.outChannels()}, memory.format_tag.x, b, best.bias_desc(),
                    "the bias of " + c, keep);
            bytes += best.bias_desc().get_size();
            args.put(DNNL_ARG_BIAS, bm);
        }
        memory dst = summed ? tail.target.mem() : alloc(best.dst_desc(), "the output of " + c);
        args.put(DNNL_ARG_DST, dst);
        if (summed) {
            tail.used = true;
            what += " + residual sum" + (tail.after == null ? "" : " + " + tail.after.torchType());
        }
        add(what, best, new convolution_forward(best), args);
        return new Value(dst, os, true);
    }

    private static convolution_forward.desc convDesc(Conv2d c, memory.desc src, memory.desc w, memory.desc b,
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

    /**
     * y = body(x) + shortcut(x), then an optional activation. The addition is fused as a sum post-op: the identity
     * shortcut's buffer (when this plan owns it) or the body's output takes the other branch's last convolution;
     * otherwise a binary primitive adds.
     */
    private Value residual(Residual r, Value x, Activation after) {
        if (r.shortcut() == null) {
            if (x.owned()) {
                Tail t = new Tail(x, after);
                Value y = layer(r.body(), x.shared(), t);
                if (t.used) {
                    return y;
                }
                return add(y, x, after);
            }
            return add(layer(r.body(), x.shared(), null), x, after);
        }
        Value body = layer(r.body(), x.shared(), null);
        Tail t = new Tail(body, after);
        Value s = layer(r.shortcut(), x.shared(), t);
        return t.used ? s : add(body, s, after);
    }

    private Value add(Value a, Value b, Activation after) {
        b = as(b, a.desc(), "the shortcut, to the other branch's layout"); // mixed layouts get a reference kernel
        binary.desc d = new binary.desc(algorithm.binary_add, a.desc(), b.desc(), a.desc());
        // no eltwise post-op here: oneDNN 2.5.2's binary kernel with one crashed on blocked (8-channel) layouts on
        // an AVX-512 machine, so the activation runs after it, in place
        binary.primitive_desc pd = new binary.primitive_desc(d, attr(null), Dnnl.engine());
        memory dst = alloc(pd.dst_desc(), "a residual sum");
        add("residual add (own primitive)", pd, new binary(pd),
                new IntMemoryMap().put(DNNL_ARG_SRC_0, a.mem()).put(DNNL_ARG_SRC_1, b.mem()).put(DNNL_ARG_DST, dst));
        Value sum = new Value(dst, a.shape(), true);
        return after == null ? sum : eltwise(after, sum);
    }

    /** An activation on its own (not after a convolution): in place when this plan owns the input. */
    private Value eltwise(Activation a, Value in) {
        eltwise_forward.desc d = a.kind() == Activation.Kind.RELU
                ? new eltwise_forward.desc(prop_kind.forward_inference, algorithm.eltwise_relu, in.desc(), 0f, 0f)
                : new eltwise_forward.desc(prop_kind.forward_inference, algorithm.eltwise_clip, in.desc(), 0f, 6f);
        eltwise_forward.primitive_desc pd = new eltwise_forward.primitive_desc(d, attr(null), Dnnl.engine());
        memory dst = in.owned() ? in.mem() : alloc(pd.dst_desc(), "the output of " + a.torchType());
        add(a.torchType() + (in.owned() ? " (own primitive, in place)" : " (own primitive)"), pd,
                new eltwise_forward(pd),
                new IntMemoryMap().put(DNNL_ARG_SRC, in.mem()).put(DNNL_ARG_DST, dst));
        return new Value(dst, in.shape(), true);
    }

    /** Max or average pooling with PyTorch's semantics; ceil mode as extra right padding. */
    private Value pool(Pool p, Value in) {
        Shape os = p.outputShape(in.shape());
        int k = p.kernel(), s = p.stride(), pad = p.padding();
        long padB = (long) (os.height() - 1) * s + k - in.shape().height() - pad;
        long padR = (long) (os.width() - 1) * s + k - in.shape().width() - pad;
        boolean overhang = padB > pad || padR > pad;
        algorithm alg = p.kind() == Pool.Kind.MAX ? algorithm.pooling_max
                // PyTorch counts the symmetric padding in an average, but not a ceil-mode window's overhang
                : overhang ? algorithm.pooling_avg_exclude_padding : algorithm.pooling_avg_include_padding;
        return poolWith(p.toString(), alg, in, os, new long[] {s, s}, new long[] {k, k}, new long[] {pad, pad},
                new long[] {Math.max(0, padB), Math.max(0, padR)});
    }

    private Value globalPool(Value in) {
        Shape is = in.shape();
        return poolWith("global average pool", algorithm.pooling_avg_exclude_padding, in, Shape.of(is.channels(), 1),
                new long[] {is.height(), is.width()}, new long[] {is.height(), is.width()}, new long[] {0, 0},
                new long[] {0, 0});
    }

    private Value poolWith(String what, algorithm alg, Value in, Shape os, long[] strides, long[] kernel,
                           long[] padL, long[] padR) {
        pooling_forward.desc d = new pooling_forward.desc(prop_kind.forward_inference, alg, in.desc(),
                Dnnl.md(os.withBatch(1), memory.format_tag.any), strides, kernel, padL, padR);
        pooling_forward.primitive_desc pd = new pooling_forward.primitive_desc(d, attr(null), Dnnl.engine());
        memory dst = alloc(pd.dst_desc(), "the output of " + what);
        add(what, pd, new pooling_forward(pd), new IntMemoryMap().put(DNNL_ARG_SRC, in.mem()).put(DNNL_ARG_DST, dst));
        return new Value(dst, os, true);
    }

    /** A fully connected layer as an inner product over the input's own layout (flattened as PyTorch does). */
    private Value linear(FullyConnected fc, Value in) {
        long[] id = in.shape().withBatch(1);
        long[] wd = {fc.out(), id[1], id[2], id[3]};
        float[] w = floats(weights.next());
        float[] b = fc.bias() ? floats(weights.next()) : null;
        memory.desc bd = b == null ? null : Dnnl.md(new long[] {fc.out()}, memory.format_tag.x);
        memory.desc dd = Dnnl.md(new long[] {1, fc.out()}, memory.format_tag.nc);
        inner_product_forward.desc d = b == null
                ? new inner_product_forward.desc(prop_kind.forward_inference, in.desc(),
                        Dnnl.md(wd, memory.format_tag.any), dd)
                : new inner_product_forward.desc(prop_kind.forward_inference, in.desc(),
                        Dnnl.md(wd, memory.format_tag.any), bd, dd);
        inner_product_forward.primitive_desc pd = new inner_product_forward.primitive_desc(d, attr(null),
                Dnnl.engine());
        Value src = as(in, pd.src_desc(), "input of " + fc);
        memory wm = Dnnl.constant(wd, memory.format_tag.oihw, w, pd.weights_desc(), "the weights of " + fc, keep);
        bytes += pd.weights_desc().get_size();
        memory dst = alloc(pd.dst_desc(), "the output of " + fc);
        IntMemoryMap args = new IntMemoryMap().put(DNNL_ARG_SRC, src.mem()).put(DNNL_ARG_WEIGHTS, wm)
                .put(DNNL_ARG_DST, dst);
        if (b != null) {
            args.put(DNNL_ARG_BIAS, Dnnl.constant(new long[] {fc.out()}, memory.format_tag.x, b, pd.bias_desc(),
                    "the bias of " + fc, keep));
        }
        add("Linear(" + fc.in() + ", " + fc.out() + ")", pd, new inner_product_forward(pd), args);
        // the same bytes seen as [1, out, 1, 1], as the spec's shape says
        memory as4d = view(Dnnl.md(new long[] {1, fc.out(), 1, 1}, memory.format_tag.nchw), dst);
        return new Value(as4d, Shape.of(fc.out(), 1), true);
    }

    /**
     * The channel shuffle as one reorder: the input seen as [1, g, C/g, H, W], written where channel
     * i·(C/g) + j goes, j·g + i — a copy with permuted strides, in a plain layout (a blocked one is first
     * reordered to channels-last).
     */
    private Value shuffle(ChannelShuffle s, Value in) {
        Shape sh = s.outputShape(in.shape());
        long[] id = sh.withBatch(1);
        memory.format_tag tag = tagOf(in.desc(), id);
        if (tag != memory.format_tag.nhwc && tag != memory.format_tag.nchw) {
            in = as(in, Dnnl.md(id, memory.format_tag.nhwc), "to channels-last for the shuffle");
            tag = memory.format_tag.nhwc;
        }
        long c = sh.channels(), h = sh.height(), w = sh.width(), g = s.groups(), per = c / g;
        long cs = tag == memory.format_tag.nhwc ? 1 : h * w;
        long hs = tag == memory.format_tag.nhwc ? w * c : w;
        long ws = tag == memory.format_tag.nhwc ? c : 1;
        long[] dims = {1, g, per, h, w};
        memory.desc from = new memory.desc(dims, Dnnl.F32, new long[] {c * h * w, per * cs, cs, hs, ws});
        memory.desc to = new memory.desc(dims, Dnnl.F32, new long[] {c * h * w, cs, g * cs, hs, ws});
        memory out = alloc(Dnnl.md(id, tag), "the output of " + s);
        memory src5 = view(from, in.mem());
        memory dst5 = view(to, out);
        reorderStep("channel shuffle (g = " + g + ") as one reorder", src5, dst5);
        return new Value(out, sh, true);
    }

    /** Branches run one after another on the same input, each reordered into its slice of one output. */
    private Value concat(Concat cat, Value in) {
        List<Value> parts = new ArrayList<>();
        for (Layer b : cat.branches()) {
            parts.add(layer(b, in.shared(), null));
        }
        Shape os = cat.outputShape(in.shape());
        long[] od = os.withBatch(1);
        memory.desc outDesc = Dnnl.md(od, memory.format_tag.nhwc);
        memory out = alloc(outDesc, "the output of a concatenation");
        long from = 0;
        for (Value v : parts) {
            long[] pd = v.shape().withBatch(1);
            memory.desc sub = outDesc.submemory_desc(pd, new long[] {0, from, 0, 0});
            memory slice = view(sub, out);
            reorderStep("concatenate channels " + from + "…" + (from + pd[1] - 1), v.mem(), slice);
            from += pd[1];
        }
        return new Value(out, os, true);
    }
}
