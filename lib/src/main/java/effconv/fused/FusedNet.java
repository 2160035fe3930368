package effconv.fused;

import effconv.layers.Check;
import effconv.layers.Layer;
import effconv.layers.Shape;
import effconv.models.Model;
import effconv.nd.MemoryGuard;
import effconv.nd.NdLayer;
import effconv.nd.Tensors;
import java.util.List;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.dnnl.memory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network compiled for inference on oneDNN's own primitives — what an inference engine does with a network,
 * beside {@link NdLayer}, which runs it layer by layer on ND4J ops. Chosen explicitly: the ND4J path keeps every
 * layer's output (summaries, cells that look inside); this one keeps only what the next primitive needs.
 *
 * <p>Compiling for an input shape turns the spec into a fixed list of primitives, each built once with its
 * weights reordered once into the layout its kernel wants:
 * <ul>
 *   <li>one convolution primitive per convolution, grouped and depthwise ones included (ND4J makes one call per
 *       group);</li>
 *   <li>batch norm folded into the convolution before it (w' = w·γ/√(σ²+ε), b' = (b − μ)·γ/√(σ²+ε) + β), or, on
 *       its own, a 1×1 depthwise convolution;</li>
 *   <li>ReLU and ReLU6 as post-ops of the primitive before them;</li>
 *   <li>a residual addition as a sum post-op of the branch's last convolution, written into the other branch's
 *       buffer (a separate addition only where that is impossible);</li>
 *   <li>the layout oneDNN's fastest kernel wants (blocked or channels-last) kept from layer to layer, with a
 *       reorder only where two primitives disagree; the channel shuffle as one reorder; pooling, fully connected
 *       layers and concatenation as primitives or reorders into place.</li>
 * </ul>
 * Weights are the ND4J path's: {@link #compile(Layer, Shape, long)} with a seed gives the same numbers as
 * {@link NdLayer#init(Layer, long)} with it, so outputs can be compared.
 *
 * <p>Safety: the input shape is checked against the spec (the cost model's own message) before any primitive is
 * built; every buffer is allocated through JavaCPP, counted and refused by {@link MemoryGuard} before it is made,
 * and kept by this object as long as its primitives (no primitive ever outlives its memory); a kernel oneDNN
 * could only run with its slow reference implementation is avoided by retrying other layouts and, where none
 * helps, listed by {@link #fallbacks()}. Not thread-safe: one run at a time (runs are synchronized).
 */
public final class FusedNet {

    private final Layer spec;
    private final List<INDArray> weights;
    private Plan plan;

    private FusedNet(Layer spec, List<INDArray> weights, Shape input) {
        this.spec = spec;
        this.weights = List.copyOf(weights);
        this.plan = Plan.build(spec, input, this.weights);
    }

    /** A whole network, compiled for its own input, with seeded weights (the same as {@code NdLayer.init}'s). */
    public static FusedNet compile(Model model, long seed) {
        Check.notNull("model", model);
        return compile(model.body(), model.input(), seed);
    }

    /**
     * A layer or network compiled for one input shape, with the weights {@link NdLayer#init(Layer, long)} makes
     * from this seed. The input shape is checked against the spec first; a bad one is refused with the layer's
     * message before anything is allocated.
     */
    public static FusedNet compile(Layer spec, Shape input, long seed) {
        Check.notNull("layer", spec);
        Check.notNull("input", input);
        spec.outputShape(input);
        Plan.checkSupported(spec, input);
        return new FusedNet(spec, NdLayer.init(spec, seed).weights(), input);
    }

    /**
     * A layer compiled with given weights, in PyTorch's layout and order (as {@link NdLayer#withWeights} takes
     * them: conv [out, in/groups, K, K] then bias; batch norm γ, β, running mean, running variance; linear
     * [out, in] then bias).
     */
    public static FusedNet withWeights(Layer spec, Shape input, List<INDArray> weights) {
        Check.notNull("layer", spec);
        Check.notNull("input", input);
        Check.notNull("weights", weights);
        spec.outputShape(input);
        Plan.checkSupported(spec, input);
        NdLayer.withWeights(spec, weights); // the same checks of count and shapes, with the same messages
        return new FusedNet(spec, weights, input);
    }

    /** The spec this network was compiled from. */
    public Layer spec() {
        return spec;
    }

    /** The input shape the primitives are built for now. */
    public Shape input() {
        return plan.input();
    }

    /**
     * Runs one sample [1, C, H, W] and returns this network's own output buffer, which the next run overwrites
     * (what timing measures; use {@link #forward} to keep a result). A sample of another shape recompiles the
     * primitives for it first (checked against the spec, as at compile time).
     */
    public synchronized INDArray run(INDArray x) {
        Check.notNull("x", x);
        Shape in = Tensors.shapeOf(x);
        if (!in.equals(plan.input())) {
            spec.outputShape(in);
            Plan.checkSupported(spec, in);
            plan = Plan.build(spec, in, weights);
        }
        INDArray input = x.dataType() == DataType.FLOAT && x.ordering() == 'c' && x.offset() == 0
                && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(x) ? x : x.castTo(DataType.FLOAT).dup('c');
        Nd4j.getExecutioner().commit();
        return plan.run(new Pointer(input.data().addressPointer()), input);
    }

    /** Runs one sample and returns a new array with the result. */
    public INDArray forward(INDArray x) {
        return run(x).dup('c');
    }

    /** One line per primitive, in the order they run: what it does and the oneDNN kernel that does it. */
    public List<String> primitives() {
        return plan.describe();
    }

    /**
     * The primitives oneDNN could only run with its reference kernels (implementation names starting "ref"),
     * after the layouts that avoid them were tried; empty when every primitive has a fast kernel.
     */
    public List<String> fallbacks() {
        return plan.describe().stream().filter(s -> s.contains("[ref")).toList();
    }

    /** Bytes of buffers this network holds (weights, activations, scratchpad), all counted by the memory guard. */
    public long bytes() {
        return plan.bytes();
    }

    /** Total primitives a run executes. */
    public int primitiveCount() {
        return plan.describe().size();
    }

    @Override
    public String toString() {
        return "FusedNet(" + plan.input() + " input, " + primitiveCount() + " oneDNN primitives, "
                + String.format(java.util.Locale.ROOT, "%.1f MiB", bytes() / 1048576.0) + ")";
    }

    static long estimate(Layer spec, Shape in, List<INDArray> weights) {
        long bytes = MemoryGuard.floatBytes(in.numel()); // the input, in the layout the first primitive wants
        for (Layer.Leaf leaf : spec.leaves(in)) {
            bytes = sat(bytes, MemoryGuard.floatBytes(leaf.output().numel()));
        }
        for (INDArray w : weights) {
            bytes = sat(bytes, MemoryGuard.floatBytes(w.length()));
        }
        return bytes;
    }

    private static long sat(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }
}
