package effconv.train;

import effconv.runtime.Dnnl;
import effconv.runtime.Floats;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_desc_base;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training engine's bridge to oneDNN. Activations are stored channels-last (NHWC: an ND4J array [n, H, W, C]),
 * the layout in which oneDNN has fast kernels for every layer here, depthwise convolution and batch norm included
 * (in NCHW it falls back to slow general ones); {@link Network} converts at its edges, so callers see NCHW. Weights
 * stay as PyTorch stores them. Memories are made over ND4J's arrays' own buffers (no copy). A module builds its
 * primitives once per batch shape; arrays it does not own (its input, the gradient from above) are pointed to on
 * every call, since the caller may pass another array of the same shape.
 */
final class Primitives {
    private Primitives() {
    }

    /** The logical [n, C, H, W] of an engine activation (stored [n, H, W, C]); other ranks as they are. */
    static long[] dims(INDArray a) {
        long[] s = a.shape();
        return s.length == 4 ? new long[] {s[0], s[3], s[1], s[2]} : s;
    }

    /** An activation array for logical {@code dims} ([n, C, H, W] stored channels-last), contents undefined. */
    static INDArray create(long... dims) {
        return dims.length == 4 ? Floats.create(dims[0], dims[2], dims[3], dims[1]) : Floats.create(dims);
    }

    /** An activation's descriptor: [n, C, H, W] channels-last, or [n, C]. */
    static memory.desc act(long... dims) {
        return dims.length == 4 ? Dnnl.md(dims, memory.format_tag.nhwc) : plain(dims);
    }

    /** Copies {@code nchw} (any strides) into {@code to}, an engine array of the same logical shape, made if null. */
    static INDArray fromNchw(INDArray nchw, INDArray to) {
        long[] d = nchw.shape();
        if (to == null || !java.util.Arrays.equals(dims(to), d)) {
            to = create(d);
        }
        to.assign(d.length == 4 ? nchw.permute(0, 2, 3, 1) : nchw);
        return to;
    }

    /** Copies engine array {@code a} into {@code to}, a C-ordered NCHW array, made if null or of another shape. */
    static INDArray toNchw(INDArray a, INDArray to) {
        long[] d = dims(a);
        if (to == null || !java.util.Arrays.equals(to.shape(), d)) {
            to = Floats.create(d);
        }
        to.assign(d.length == 4 ? a.permute(0, 3, 1, 2) : a);
        return to;
    }

    /** The plain layout of an array of this rank: a vector, [n, C], [out, in, K, K] or grouped weights. */
    static memory.desc plain(long... dims) {
        memory.format_tag tag = switch (dims.length) {
            case 1 -> memory.format_tag.a;
            case 2 -> memory.format_tag.ab;
            case 4 -> memory.format_tag.abcd;
            case 5 -> memory.format_tag.abcde;
            default -> throw new IllegalStateException("internal: no plain layout for rank " + dims.length);
        };
        return Dnnl.md(dims, tag);
    }

    /** A oneDNN memory over {@code a}'s buffer, viewed with {@code d} (same number of floats, C order). */
    static memory over(INDArray a, memory.desc d) {
        check(a, d);
        return new memory(d, Dnnl.engine(), a.data().addressPointer());
    }

    /** A memory with no buffer yet: {@link #point} gives it one before each run. */
    static memory unbound(memory.desc d) {
        return new memory(d, Dnnl.engine(), new org.bytedeco.javacpp.Pointer());
    }

    /** Points {@code m} at {@code a}'s buffer. */
    static void point(memory m, INDArray a) {
        check(a, m.get_desc());
        m.set_data_handle(a.data().addressPointer());
    }

    private static void check(INDArray a, memory.desc d) {
        if (a.offset() != 0 || a.ordering() != 'c' || a.length() * Float.BYTES != d.get_size()) {
            throw new IllegalStateException("internal: a whole C-ordered array of " + d.get_size() / Float.BYTES
                    + " floats expected, got " + a.shapeInfoToString());
        }
    }

    /** A copy of {@code from} into {@code to}, which holds the same values in another layout. */
    static Call reorder(memory from, memory to) {
        org.bytedeco.dnnl.reorder.primitive_desc pd = new org.bytedeco.dnnl.reorder.primitive_desc(from, to);
        return Call.of(pd, new org.bytedeco.dnnl.reorder(pd), new IntMemoryMap()
                .put(org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM, from).put(org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO, to));
    }

    /** One primitive and its arguments, kept together with its descriptor (whose implementation it names). */
    record Call(primitive p, IntMemoryMap args, String impl) {
        static Call of(primitive_desc_base pd, primitive p, IntMemoryMap args) {
            return new Call(p, args, Dnnl.impl(pd));
        }

        void run() {
            p.execute(Dnnl.stream(), args);
        }
    }
}
