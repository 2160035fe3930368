package effconv.runtime;

import effconv.layers.Activation;
import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_desc_base;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;

/**
 * The one oneDNN CPU engine and stream of the process, shared by the fused inference engine and the training engine,
 * and buffers allocated through JavaCPP — so every byte a fused network holds is counted by {@link MemoryGuard}
 * (oneDNN's own allocations are not: the fused networks give each primitive a user scratchpad instead).
 */
public final class Dnnl {
    private Dnnl() {
    }

    public static final memory.data_type F32 = memory.data_type.f32;
    private static final int ALIGN = 64; // oneDNN's preferred alignment: a cache line, a whole AVX-512 vector

    private static engine eng;
    private static stream str;

    public static synchronized engine engine() {
        if (eng == null) {
            eng = new engine(engine.kind.cpu, 0);
            str = new stream(eng);
        }
        return eng;
    }

    public static synchronized stream stream() {
        engine();
        return str;
    }

    /**
     * An activation as oneDNN's eltwise algorithm with its α and β — ReLU, or ReLU6 as a clip to [0, 6] — the one
     * place for that mapping, used by fused post-ops, fused primitives and training alike.
     */
    public record Eltwise(algorithm algorithm, float alpha, float beta) {
        public static Eltwise of(Activation.Kind kind) {
            return switch (kind) {
                case RELU -> new Eltwise(org.bytedeco.dnnl.global.dnnl.algorithm.eltwise_relu, 0f, 0f);
                case RELU6 -> new Eltwise(org.bytedeco.dnnl.global.dnnl.algorithm.eltwise_clip, 0f, 6f);
            };
        }
    }

    public static memory.desc md(long[] dims, memory.format_tag tag) {
        return new memory.desc(dims, F32, tag);
    }

    /**
     * A buffer of {@code bytes}, aligned to 64 bytes, refused by the memory guard with a message naming
     * {@code what} if it would not fit. The pointer returned must be kept as long as any memory uses it.
     */
    public static BytePointer allocate(String what, long bytes) {
        MemoryGuard.check(what, bytes + ALIGN);
        BytePointer p = new BytePointer(bytes + ALIGN);
        long misalign = p.address() % ALIGN;
        p.position(misalign == 0 ? 0 : ALIGN - misalign);
        return p;
    }

    /** A oneDNN memory over a buffer of our own (allocated here and kept in {@code keep}). */
    public static memory memory(memory.desc d, String what, List<Object> keep) {
        BytePointer p = allocate(what, Math.max(d.get_size(), 1));
        keep.add(p);
        return new memory(d, engine(), p);
    }

    /** A memory in a plain layout holding {@code data}, reordered at once into {@code want}, kept. */
    public static memory constant(long[] dims, memory.format_tag tag, float[] data, memory.desc want, String what,
                           List<Object> keep) {
        FloatPointer host = new FloatPointer(data);
        try {
            memory user = new memory(md(dims, tag), engine(), host);
            memory dst = memory(want, what, keep);
            new reorder(user, dst).execute(stream(), user, dst);
            stream()._wait();
            return dst;
        } finally {
            host.close(); // the reordered copy is ours; the staging buffer goes now, not at the next collection
        }
    }

    /** The name of the implementation oneDNN chose, e.g. "jit:avx2" or "ref:any". */
    public static String impl(primitive_desc_base pd) {
        BytePointer s = pd.impl_info_str();
        return s == null ? "?" : s.getString();
    }

    /** oneDNN's reference kernels: plain loops, correct but often 10-100 times slower than its JIT kernels. */
    public static boolean isReference(String impl) {
        return impl.startsWith("ref");
    }
}
