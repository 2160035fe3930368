package effconv.fused;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCRATCHPAD;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;

import effconv.layers.Layer;
import effconv.layers.Shape;
import effconv.lower.Lowered;
import effconv.runtime.Dnnl;
import effconv.runtime.MemoryGuard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.primitive_desc_base;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.global.dnnl.scratchpad_mode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The primitives of one {@link FusedNet} for one input shape, with every buffer they touch: what runs, and the
 * bookkeeping every primitive needs (buffers counted by the memory guard, views that move with their buffer, one
 * scratchpad shared by all). Which primitives to make is decided by the lowering ({@link effconv.lower.Lowering})
 * and {@link Compiler}; {@link Convolutions} and {@link Kernels} make them.
 */
final class Plan {

    /** One primitive with its arguments; {@code what} and {@code impl} describe it. */
    private record Step(String what, String impl, primitive p, IntMemoryMap args) {
    }

    /**
     * An activation between primitives: its memory (whose descriptor is its layout), its shape, and whether the
     * primitive it is handed to may overwrite it (false for the caller's input and for a value read again later).
     */
    record Value(memory mem, Shape shape, boolean owned) {
        memory.desc desc() {
            return mem.get_desc();
        }

        Value shared() {
            return new Value(mem, shape, false);
        }
    }

    private final Shape input;
    final FusedNet.Steps take; // which steps the engine takes (the lowering made the fusions)
    /** Time the candidates of each grouped convolution and keep the fastest ({@link FusedNet#tuned()}). */
    final boolean tune;
    /** What the tuner chose, per grouped convolution, with every candidate's time. */
    final List<Tuner.Choice> choices = new ArrayList<>();
    /** The caller's layout, of the input and of the output: NCHW (PyTorch's default) or channels-last (NHWC). */
    final memory.format_tag io;
    private final List<Step> steps = new ArrayList<>();
    final List<Object> keep = new ArrayList<>(); // every buffer and memory the primitives use
    final memory inputMem;
    private INDArray output;
    private long bytes;
    private long scratchBytes;
    private final List<IntMemoryMap> needScratch = new ArrayList<>();
    /** Every memory over each buffer of ours, by the buffer's address: all of them move if the buffer does. */
    private final Map<Long, List<memory>> aliases = new HashMap<>();
    /** Views of the caller's input (a shuffle reading it in place): their handle is set per run, as the input's. */
    private final List<memory> inputViews = new ArrayList<>();

    private Plan(Shape input, FusedNet.Steps take, boolean channelsLast, boolean tune) {
        this(input, take, channelsLast, tune, null);
    }

    /** {@code inputDesc}: the input's layout when it is not the caller's (a scratch plan's), else null. */
    private Plan(Shape input, FusedNet.Steps take, boolean channelsLast, boolean tune, memory.desc inputDesc) {
        this.input = input;
        this.take = take;
        this.tune = tune;
        this.io = channelsLast ? memory.format_tag.nhwc : memory.format_tag.nchw;
        this.inputMem = new memory(inputDesc != null ? inputDesc : Dnnl.md(input.withBatch(1), io), Dnnl.engine(),
                (Pointer) null);
    }

    /**
     * An empty plan over an input that arrives in layout {@code in}, for timing one piece on its own ({@link Tuner}
     * times an alternative in one): its primitives are added as in any plan, then {@link #runAlone} runs them.
     */
    static Plan scratch(memory.desc in, Shape shape, FusedNet.Steps take) {
        return new Plan(shape, take, false, false, in);
    }

    /** A scratch plan's input, shaped as {@code like}. */
    Value inputOf(Value like) {
        return new Value(inputMem, like.shape(), false);
    }

    /** A scratch plan's primitives, ready to run on {@code input} (a buffer in its input's layout). */
    Runnable runAlone(memory input) {
        allocateScratchpad();
        return () -> run(input.get_data_handle(), null);
    }

    /**
     * The primitives of {@code lowered} (lowered with {@code take}'s fusions), weights looked up by name. The memory
     * guard is asked first, with an estimate of every buffer.
     */
    static Plan build(Layer spec, Lowered lowered, Map<String, INDArray> weights, FusedNet.Steps take,
                      boolean channelsLast, boolean tune) {
        Shape in = lowered.values().get(0);
        MemoryGuard.check("compiling " + spec.getClass().getSimpleName() + " for " + in
                + " (weights and every layer's output)", estimate(lowered, take));
        Plan p = new Plan(in, take, channelsLast, tune);
        try {
            p.finish(Compiler.compile(p, lowered, weights));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            // oneDNN refusing a descriptor: a bug of this package, not of the student's input; say which network
            throw new IllegalStateException("oneDNN could not build a primitive for " + spec + " on " + in + ": "
                    + e.getMessage(), e);
        }
        return p;
    }

    /** Bytes of every value and weight, and a second buffer per value where layouts are reordered or groups split. */
    private static long estimate(Lowered lowered, FusedNet.Steps take) {
        boolean copies = !take.keepLayouts() || !take.groupedPrimitive();
        long bytes = 0;
        for (Shape v : lowered.values()) {
            long b = MemoryGuard.floatBytes(v.numel());
            bytes = MemoryGuard.plus(bytes, b, copies ? b : 0);
        }
        for (effconv.lower.Weight w : lowered.weights()) {
            bytes = MemoryGuard.plus(bytes, MemoryGuard.floatBytes(w.numel()));
        }
        return bytes;
    }

    Shape input() {
        return input;
    }

    long bytes() {
        return bytes;
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

    void add(String what, primitive_desc_base pd, primitive p, IntMemoryMap args) {
        if (pd != null && pd.scratchpad_desc().get_size() > 0) {
            scratchBytes = Math.max(scratchBytes, pd.scratchpad_desc().get_size());
            needScratch.add(args);
        }
        steps.add(new Step(what, pd == null ? "reorder" : Dnnl.impl(pd), p, args));
        keep.add(pd);
        keep.add(p);
        keep.add(args);
    }

    /** A new buffer in layout {@code d}, counted. */
    memory alloc(memory.desc d, String what) {
        bytes += d.get_size();
        memory m = Dnnl.memory(d, what, keep);
        aliases.computeIfAbsent(m.get_data_handle().address(), k -> new ArrayList<>()).add(m);
        return m;
    }

    /** Counts a buffer made elsewhere (weights oneDNN reordered). */
    void count(long size) {
        bytes += size;
    }

    /** Whether {@code m} is the caller's input or a view of it: never written, and its address set per run. */
    boolean isInput(memory m) {
        return m == inputMem || inputViews.contains(m);
    }

    /** Another descriptor over the buffer of {@code base} (a strided or offset view), moved with it. */
    memory view(memory.desc d, memory base) {
        boolean input = isInput(base);
        memory m = new memory(d, Dnnl.engine(), input ? new Pointer() : base.get_data_handle());
        keep.add(m);
        if (input) {
            inputViews.add(m);
        } else {
            aliases.get(base.get_data_handle().address()).add(m);
        }
        return m;
    }

    /** Attributes every primitive gets: oneDNN's temporaries in a buffer the memory guard counts; post-ops. */
    primitive_attr attr(post_ops po) {
        primitive_attr a = new primitive_attr();
        a.set_scratchpad_mode(scratchpad_mode.user);
        if (po != null) {
            a.set_post_ops(po);
        }
        keep.add(a);
        return a;
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

    /** The returned array, in the caller's layout; the scratchpad, once all primitives are known. */
    private void finish(Value out) {
        Shape os = out.shape();
        long[] shape = io == memory.format_tag.nhwc ? new long[] {1, os.height(), os.width(), os.channels()}
                : os.withBatch(1);
        output = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        bytes += MemoryGuard.floatBytes(out.shape().numel());
        Pointer target = new Pointer(output.data().addressPointer());
        memory.desc callers = Dnnl.md(out.shape().withBatch(1), io);
        List<memory> same = isInput(out.mem()) ? null : aliases.get(out.mem().get_data_handle().address());
        if (out.desc().equals(callers) && same != null) {
            // the result is already in the caller's layout: the primitives write it straight into the returned array
            for (memory m : same) {
                m.set_data_handle(target);
            }
            keep.add(output);
        } else {
            memory outputMem = new memory(callers, Dnnl.engine(), target);
            keep.add(outputMem);
            reorderStep(io == memory.format_tag.nhwc ? "output to NHWC" : "output to NCHW", out.mem(), outputMem);
        }
        allocateScratchpad();
    }

    /** One scratchpad, as large as the largest any primitive asks for, shared by all (they run one at a time). */
    private void allocateScratchpad() {
        if (scratchBytes > 0) {
            memory scratch = alloc(Dnnl.md(new long[] {(scratchBytes + 3) / 4}, memory.format_tag.x),
                    "oneDNN's scratchpad");
            for (IntMemoryMap m : needScratch) {
                m.put(DNNL_ARG_SCRATCHPAD, scratch);
            }
        }
    }

    /** The format tag that describes {@code d} exactly, or null (a blocked layout this package does not name). */
    static memory.format_tag tagOf(memory.desc d, long[] dims) {
        for (memory.format_tag t : new memory.format_tag[] {memory.format_tag.nhwc, memory.format_tag.nchw,
            memory.format_tag.nChw8c, memory.format_tag.nChw16c}) {
            if (Dnnl.md(dims, t).equals(d)) {
                return t;
            }
        }
        return null;
    }
}
