package effconv.fused;

import effconv.layers.Check;
import effconv.layers.Layer;
import effconv.layers.Shape;
import effconv.lower.Lowered;
import effconv.lower.Lowering;
import effconv.lower.Weight;
import effconv.models.Model;
import effconv.runtime.MemoryGuard;
import effconv.runtime.Tensors;
import effconv.runtime.Weights;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.dnnl.memory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network compiled for inference on oneDNN's own primitives — what an inference engine does with a network,
 * beside the reference engine ({@code effconv.nd.NdLayer}), which runs it layer by layer on ND4J ops. Chosen explicitly: the ND4J path keeps every
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
 * Each of these steps can be switched off alone ({@link Steps}, {@link #compile(Model, long, Steps)}) to see
 * what it buys; {@link #primitives()} then shows what runs instead.
 * Weights are the ND4J path's ({@link Weights#seeded}): {@link #compile(Layer, Shape, long)} with a seed gives the
 * same numbers as {@code NdLayer.init(layer, seed)} with it, so outputs can be compared.
 *
 * <p>Safety: the input shape is checked against the spec (the cost model's own message) before any primitive is
 * built; every buffer is allocated through JavaCPP, counted and refused by {@link MemoryGuard} before it is made,
 * and kept by this object as long as its primitives (no primitive ever outlives its memory); a kernel oneDNN
 * could only run with its slow reference implementation is avoided by retrying other layouts and, where none
 * helps, listed by {@link #fallbacks()}. Not thread-safe: one run at a time (runs are synchronized).
 */
public final class FusedNet {

    /**
     * Which of the compiler's steps are taken — each can be switched off alone, so a lesson can time what each
     * buys on the same network with the same weights; the output is the same (to rounding) either way.
     * {@link #all()} is the default, every step on. Built by name: {@code Steps.all().foldBatchNorm(false)},
     * {@code Steps.none().keepLayouts(true)}.
     *
     * @param foldBatchNorm    batch norm folded into the convolution before it; off: each batch norm is its own
     *                         primitive after it (the per-channel scale and shift as a 1×1 depthwise convolution,
     *                         as {@code NdLayer} runs it — a form that still takes post-ops, so this switch alone
     *                         changes nothing else)
     * @param fuseActivations  ReLU, ReLU6 and residual sums as post-ops of the primitive before them; off: each
     *                         activation is its own eltwise primitive and each residual sum its own binary add
     * @param keepLayouts      each primitive's output kept in the layout the next one wants; off: every output is
     *                         reordered back to plain NCHW and the next primitive reorders it into its own layout
     *                         again, as a library called layer by layer does
     * @param groupedPrimitive a grouped convolution as one primitive; off: one primitive per group, each on a copy
     *                         of its slice of the input, copied into its slice of the output (ND4J makes one call
     *                         per group). Only 1 &lt; g &lt; input channels is split: a depthwise convolution
     *                         (g = channels) stays one primitive either way. A split convolution's residual sum
     *                         runs as its own add (a slice cannot take a sum post-op).
     */
    public record Steps(boolean foldBatchNorm, boolean fuseActivations, boolean keepLayouts,
                        boolean groupedPrimitive) {

        /** Every step on: what {@link FusedNet#compile(Model, long)} does. */
        public static Steps all() {
            return new Steps(true, true, true, true);
        }

        /** The lowering's share of these steps (keeping layouts is the engine's own). */
        public effconv.lower.Fusions fusions() {
            return new effconv.lower.Fusions(foldBatchNorm, fuseActivations, groupedPrimitive);
        }

        /** Every step off: primitive by primitive, as a library called layer by layer runs the network. */
        public static Steps none() {
            return new Steps(false, false, false, false);
        }

        public Steps foldBatchNorm(boolean on) {
            return new Steps(on, fuseActivations, keepLayouts, groupedPrimitive);
        }

        public Steps fuseActivations(boolean on) {
            return new Steps(foldBatchNorm, on, keepLayouts, groupedPrimitive);
        }

        public Steps keepLayouts(boolean on) {
            return new Steps(foldBatchNorm, fuseActivations, on, groupedPrimitive);
        }

        public Steps groupedPrimitive(boolean on) {
            return new Steps(foldBatchNorm, fuseActivations, keepLayouts, on);
        }

        /** The code that makes these steps, e.g. {@code Steps.all().foldBatchNorm(false)}. */
        @Override
        public String toString() {
            if (equals(none())) {
                return "Steps.none()";
            }
            return "Steps.all()" + (foldBatchNorm ? "" : ".foldBatchNorm(false)")
                    + (fuseActivations ? "" : ".fuseActivations(false)") + (keepLayouts ? "" : ".keepLayouts(false)")
                    + (groupedPrimitive ? "" : ".groupedPrimitive(false)");
        }
    }

    private final Layer spec;
    private final List<INDArray> weights;
    /** The same arrays by the names the lowering gives them. */
    private final Map<String, INDArray> named = new HashMap<>();
    private final Steps steps;
    private final boolean channelsLast;
    private final boolean tuned;
    /** The input shape the primitives are (or will be) built for; the plan is null until first needed. */
    private Shape input;
    private Plan plan;

    /** {@code now}: build the primitives here (compiling); else when first needed (an option's copy). */
    private FusedNet(Layer spec, List<INDArray> weights, Shape input, Steps steps, boolean channelsLast,
                     boolean tuned, boolean now) {
        this.spec = spec;
        this.weights = List.copyOf(weights);
        this.steps = steps;
        this.channelsLast = channelsLast;
        this.tuned = tuned;
        List<Weight> names = Lowering.weights(spec);
        for (int i = 0; i < names.size(); i++) {
            named.put(names.get(i).name(), this.weights.get(i));
        }
        this.input = input;
        if (now) {
            plan();
        }
    }

    /** The primitives for the current input shape, built if there are none yet. */
    private synchronized Plan plan() {
        return plan(input);
    }

    /** The primitives for {@code in}, built if they are for another shape (on a refusal nothing changes). */
    private synchronized Plan plan(Shape in) {
        if (plan == null || !plan.input().equals(in)) {
            plan = Plan.build(spec, lower(spec, in, steps), named, steps, channelsLast, tuned);
            input = in;
        }
        return plan;
    }

    /**
     * The spec lowered with these steps' fusions, and checked: what the lowering or this engine cannot run is
     * refused, naming the layer, before anything is allocated.
     */
    private static Lowered lower(Layer spec, Shape input, Steps steps) {
        Lowered lowered = Lowering.lower(spec, input, steps.fusions());
        Compiler.checkSupported(lowered);
        return lowered;
    }

    /**
     * The same network compiled as an autotuning engine compiles it: for each grouped or depthwise convolution,
     * every layout oneDNN offers a fast kernel for is timed on this machine (with the reorder its input needs) and
     * the fastest is kept, where the default takes the first — see {@link #choices()}. The choice can differ from
     * run to run when two candidates are close, so the outputs are equal to rounding, the kernels listed may not be.
     * Built (and timed) when first run or asked what it holds, so that options chained, {@code .tuned().channelsLast()},
     * build one plan.
     */
    public FusedNet tuned() {
        return tuned ? this : new FusedNet(spec, weights, input, steps, channelsLast, true, false);
    }

    /** What tuning chose for each grouped or depthwise convolution, with every candidate's time; empty untuned. */
    public List<String> choices() {
        return plan().choices().stream().map(Object::toString).toList();
    }

    /**
     * The same network (weights, steps, input shape) compiled to take and return channels-last arrays, [1, H, W, C]
     * (PyTorch's {@code channels_last}): timed against PyTorch in that layout, neither side pays for reordering
     * its input and output. Built when first run or asked what it holds, as {@link #tuned()}.
     */
    public FusedNet channelsLast() {
        return channelsLast ? this : new FusedNet(spec, weights, input, steps, true, tuned, false);
    }

    /** Whether {@link #run} takes and returns [1, H, W, C] arrays (else [1, C, H, W]). */
    public boolean isChannelsLast() {
        return channelsLast;
    }

    /** A whole network, compiled for its own input, with seeded weights (the same as {@code NdLayer.init}'s). */
    public static FusedNet compile(Model model, long seed) {
        return compile(model, seed, Steps.all());
    }

    /** A whole network compiled with only the given steps taken (see {@link Steps}). */
    public static FusedNet compile(Model model, long seed, Steps steps) {
        Check.notNull("model", model);
        return compile(model.body(), model.input(), seed, steps);
    }

    /**
     * A layer or network compiled for one input shape, with the weights {@link Weights#seeded} draws from this seed
     * (those {@code NdLayer.init} runs with). The input shape is checked against the spec first; a bad one is refused with the layer's
     * message before anything is allocated.
     */
    public static FusedNet compile(Layer spec, Shape input, long seed) {
        return compile(spec, input, seed, Steps.all());
    }

    /** A layer or network compiled for one input shape with only the given steps taken (see {@link Steps}). */
    public static FusedNet compile(Layer spec, Shape input, long seed, Steps steps) {
        Check.notNull("layer", spec);
        Check.notNull("input", input);
        Check.notNull("steps", steps);
        lower(spec, input, steps);
        return new FusedNet(spec, Weights.seeded(spec, seed), input, steps, false, false, true);
    }

    /**
     * A layer compiled with given weights, in PyTorch's layout and order (as {@code NdLayer.withWeights} takes
     * them, checked by {@link Weights#given}: conv [out, in/groups, K, K] then bias; batch norm γ, β, running mean, running variance; linear
     * [out, in] then bias).
     */
    public static FusedNet withWeights(Layer spec, Shape input, List<INDArray> weights) {
        Check.notNull("layer", spec);
        Check.notNull("input", input);
        Check.notNull("weights", weights);
        lower(spec, input, Steps.all());
        Weights.given(spec, weights); // the reference engine's checks of count and shapes, with its messages
        return new FusedNet(spec, weights, input, Steps.all(), false, false, true);
    }

    /** The spec this network was compiled from. */
    public Layer spec() {
        return spec;
    }

    /** The steps this network was compiled with. */
    public Steps steps() {
        return steps;
    }

    /** The input shape the primitives are built for now. */
    public Shape input() {
        return input;
    }

    /**
     * Runs one sample [1, C, H, W] and returns this network's own output buffer, which the next run overwrites
     * (what timing measures; use {@link #forward} to keep a result). A sample of another shape recompiles the
     * primitives for it first (checked against the spec, as at compile time).
     */
    public synchronized INDArray run(INDArray x) {
        Check.notNull("x", x);
        Shape in = channelsLast ? channelsLastShape(x) : Tensors.shapeOf(x);
        Plan p = plan(in);
        INDArray data = x.dataType() == DataType.FLOAT && x.ordering() == 'c' && x.offset() == 0
                && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(x) ? x : x.castTo(DataType.FLOAT).dup('c');
        Nd4j.getExecutioner().commit();
        return p.run(new Pointer(data.data().addressPointer()), data);
    }

    /** The [C, H, W] of a channels-last sample [1, H, W, C], refused as {@link Tensors#shapeOf} refuses. */
    private static Shape channelsLastShape(INDArray x) {
        if (x.rank() != 4 || x.size(0) != 1) {
            throw new IllegalArgumentException("x has shape " + java.util.Arrays.toString(x.shape())
                    + ", which is not allowed: expected one sample, channels-last, [1, H, W, C]");
        }
        return Shape.of((int) x.size(3), (int) x.size(1), (int) x.size(2));
    }

    /** Runs one sample and returns a new array with the result. */
    public INDArray forward(INDArray x) {
        return run(x).dup('c');
    }

    /** One line per primitive, in the order they run: what it does and the oneDNN kernel that does it. */
    public List<String> primitives() {
        return plan().describe();
    }

    /**
     * The oneDNN kernels that do the work, reorders left out, each named once in run order, e.g.
     * "brgconv:avx512_core" — oneDNN picks one per shape and CPU, which explains a time that does not follow the count.
     */
    public String kernels() {
        return plan().describe().stream()
                .filter(p -> !isReorder(p) && p.endsWith("]"))
                .map(p -> p.substring(p.lastIndexOf('[') + 1, p.length() - 1)).distinct()
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * The primitives oneDNN could only run with its reference kernels (implementation names starting "ref"),
     * after the layouts that avoid them were tried; empty when every primitive has a fast kernel.
     */
    public List<String> fallbacks() {
        return plan().describe().stream().filter(s -> s.contains("[ref")).toList();
    }

    /** Bytes of buffers this network holds (weights, activations, scratchpad), all counted by the memory guard. */
    public long bytes() {
        return plan().bytes();
    }

    /**
     * What each primitive that computes does, in run order, without its kernel's name: the same on every CPU. The
     * reorders between layouts are left out, since how many there are depends on the layouts this CPU's kernels
     * want (an AVX2 kernel takes a 3-channel input as it is; an AVX-512 one asks for a reorder first).
     */
    public List<String> ops() {
        return plan().describe().stream().filter(p -> !isReorder(p)).map(p -> p.replaceAll(" \\[[^\\]]*\\]$", ""))
                .toList();
    }

    private static boolean isReorder(String primitive) {
        return primitive.startsWith("reorder") || primitive.startsWith("output to");
    }

    /** Total primitives a run executes, reorders included. */
    public int primitiveCount() {
        return plan().describe().size();
    }

    @Override
    public String toString() {
        return "FusedNet(" + input + " input, " + primitiveCount() + " oneDNN primitives, "
                + String.format(java.util.Locale.ROOT, "%.1f MiB", bytes() / 1048576.0)
                + (steps.equals(Steps.all()) ? "" : ", " + steps) + ")";
    }
}
