package effconv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.transforms.Pad;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A layer spec made real: its weights allocated in ND4J and a forward pass. This is what the machine does, kept
 * apart from what the papers count ({@link Layer}).
 *
 * <p>Weights are kept in PyTorch's layout and order — conv [out, in/groups, K, K] then bias [out]; batch norm
 * weight, bias, running mean, running variance [C]; linear [out, in] then bias [out] — so golden files made with
 * PyTorch load as they are; each op gets the layout it wants.
 */
public final class NdLayer {

    /** What one summary row produced. */
    public record RowResult(Shape output, long params, INDArray value) {
    }

    /** A piece of the executable tree; leaves append one row each, in the order of {@link Layer#leaves}. */
    private interface Node {
        INDArray forward(INDArray x, List<RowResult> rows);
    }

    private final Layer spec;
    private final Node root;
    private final List<INDArray> weights;

    private final long allocated;

    private NdLayer(Layer spec, Node root, List<INDArray> weights, long allocated) {
        this.spec = spec;
        this.root = root;
        this.weights = List.copyOf(weights);
        this.allocated = allocated;
    }

    /**
     * Allocates the layer with seeded weights — convolution and linear weights uniform in ±1/√fan_in (PyTorch's
     * default bound), batch norm statistics near (but not at) the identity — so the same seed always gives the
     * same layer.
     */
    public static NdLayer init(Layer spec, long seed) {
        Check.notNull("layer", spec);
        long bytes = MemoryGuard.floatBytes(spec.params() * 2); // batch norm also keeps mean and variance
        MemoryGuard.check("the weights of " + spec.getClass().getSimpleName(), bytes);
        SplittableRandom seeds = new SplittableRandom(seed);
        List<INDArray> ws = new ArrayList<>();
        long[] params = {0};
        Node root = build(spec, (shape, init) -> {
            INDArray a = init.make(shape, seeds.nextLong());
            ws.add(a);
            return a;
        }, params);
        return new NdLayer(spec, root, ws, params[0]);
    }

    /** The layer with given weights, in PyTorch's layout and order (see the class comment). */
    public static NdLayer withWeights(Layer spec, List<INDArray> weights) {
        Check.notNull("layer", spec);
        Check.notNull("weights", weights);
        int[] i = {0};
        long[] params = {0};
        Node root = build(spec, (shape, init) -> {
            int k = i[0]++;
            if (k >= weights.size() || !Arrays.equals(weights.get(k).shape(), shape)) {
                throw new IllegalArgumentException("weights[" + k + "] has shape "
                        + (k < weights.size() ? Arrays.toString(weights.get(k).shape()) : "(missing)")
                        + ", which is not allowed: " + spec + " needs " + Arrays.toString(shape) + " there");
            }
            return weights.get(k).castTo(DataType.FLOAT);
        }, params);
        if (i[0] != weights.size()) {
            throw new IllegalArgumentException("weights has " + weights.size() + " arrays, which is not allowed: "
                    + spec + " takes " + i[0]);
        }
        return new NdLayer(spec, root, weights, params[0]);
    }

    /** How a weight is first filled. */
    private interface Init {
        INDArray make(long[] shape, long seed);

        static Init uniform(double bound) {
            return (shape, seed) -> Tensors.uniform(shape, bound, seed);
        }

        static Init around(double centre, double spread) {
            return (shape, seed) -> Tensors.uniform(shape, spread, seed).addi(centre);
        }
    }

    /** Hands out weights in order: fresh seeded ones, or given ones. */
    private interface Source {
        INDArray next(long[] shape, Init init);
    }

    private static Node build(Layer l, Source src, long[] params) {
        if (l instanceof Named n) {
            return build(n.layer(), src, params);
        }
        if (l instanceof Composite c) {
            return build(c.graph(), src, params);
        }
        if (l instanceof ConvLayer cl) {
            Conv2d c = cl.toConv2d();
            double bound = 1.0 / Math.sqrt((double) c.inChannelsPerGroup() * c.kernel() * c.kernel());
            INDArray w = src.next(new long[] {c.outChannels(), c.inChannelsPerGroup(), c.kernel(), c.kernel()},
                    Init.uniform(bound));
            INDArray b = c.bias() ? src.next(new long[] {c.outChannels()}, Init.uniform(bound)) : null;
            return leaf(params, w.length() + (b == null ? 0 : b.length()), x -> conv(c, w, b, x));
        }
        if (l instanceof BatchNorm bn) {
            long[] s = {bn.channels()};
            INDArray gamma = src.next(s, Init.around(1, 0.2));
            INDArray beta = src.next(s, Init.uniform(0.2));
            INDArray mean = src.next(s, Init.uniform(0.2));
            INDArray var = src.next(s, Init.around(1, 0.2));
            INDArray scale = gamma.div(Transforms.sqrt(var.add(BatchNorm.EPS), true));
            INDArray shift = beta.sub(mean.mul(scale));
            return leaf(params, 2L * bn.channels(), x -> {
                INDArray y = Broadcast.mul(x, scale, x.ulike(), 1);
                return Broadcast.add(y, shift, y, 1);
            });
        }
        if (l instanceof FullyConnected fc) {
            double bound = 1.0 / Math.sqrt(fc.in());
            INDArray w = src.next(new long[] {fc.out(), fc.in()}, Init.uniform(bound));
            INDArray b = fc.bias() ? src.next(new long[] {fc.out()}, Init.uniform(bound)) : null;
            return leaf(params, w.length() + (b == null ? 0 : b.length()), x -> {
                INDArray y = x.reshape('c', 1, fc.in()).mmul(w.transpose());
                if (b != null) {
                    y.addiRowVector(b);
                }
                return y.reshape('c', 1, fc.out(), 1, 1);
            });
        }
        if (l instanceof Activation a) {
            return leaf(params, 0, x -> a.kind() == Activation.Kind.RELU ? Transforms.relu(x, true)
                    : Transforms.relu6(x, true));
        }
        if (l instanceof Pool p) {
            return leaf(params, 0, x -> pool(p, x));
        }
        if (l instanceof GlobalAvgPool) {
            return leaf(params, 0, x -> x.mean(2, 3).reshape('c', 1, x.size(1), 1, 1));
        }
        if (l instanceof ChannelShuffle s) {
            return leaf(params, 0, x -> {
                long c = x.size(1), h = x.size(2), w = x.size(3);
                return x.reshape('c', 1, s.groups(), c / s.groups(), h, w).permute(0, 2, 1, 3, 4).dup('c')
                        .reshape('c', 1, c, h, w);
            });
        }
        if (l instanceof Residual.Add) {
            throw new IllegalArgumentException("layer Add is not allowed on its own: it is part of a Residual");
        }
        if (l instanceof Sequence s) {
            List<Node> nodes = s.layers().stream().map(c -> build(c, src, params)).toList();
            return (x, rows) -> {
                INDArray cur = x;
                for (Node n : nodes) {
                    cur = n.forward(cur, rows);
                }
                return cur;
            };
        }
        if (l instanceof Concat c) {
            List<Node> nodes = c.branches().stream().map(b -> build(b, src, params)).toList();
            return (x, rows) -> Nd4j.concat(1, nodes.stream().map(n -> n.forward(x, rows)).toArray(INDArray[]::new));
        }
        if (l instanceof Residual r) {
            Node body = build(r.body(), src, params);
            Node shortcut = r.shortcut() == null ? null : build(r.shortcut(), src, params);
            return (x, rows) -> {
                INDArray y = body.forward(x, rows);
                y = y.add(shortcut == null ? x : shortcut.forward(x, rows));
                rows.add(new RowResult(Tensors.shapeOf(y), 0, y));
                return y;
            };
        }
        throw new IllegalArgumentException("layer " + l + " is not allowed here: NdLayer cannot run a "
                + l.getClass().getSimpleName());
    }

    private static Node leaf(long[] total, long params, java.util.function.UnaryOperator<INDArray> op) {
        total[0] += params;
        return (x, rows) -> {
            INDArray y = op.apply(x);
            rows.add(new RowResult(Tensors.shapeOf(y), params, y));
            return y;
        };
    }

    public Layer spec() {
        return spec;
    }

    /** The weights in PyTorch's layout and order. */
    public List<INDArray> weights() {
        return weights;
    }

    /**
     * Parameters actually allocated (to compare with the counted {@link Layer#params()}); batch norm's running
     * statistics are buffers, not parameters.
     */
    public long allocatedParams() {
        return allocated;
    }

    /** Runs the layer on one sample [1, C, H, W]. */
    public INDArray forward(INDArray x) {
        return run(x, new ArrayList<>());
    }

    /** Runs the layer and keeps every row's output, as torchsummary's hooks see them. */
    public List<RowResult> forwardRows(INDArray x) {
        // run() checks the whole network with the cost model first: a bad shape is reported before ND4J sees it
        List<RowResult> rows = new ArrayList<>();
        run(x, rows);
        return rows;
    }

    private INDArray run(INDArray x, List<RowResult> rows) {
        Shape in = Tensors.shapeOf(x);
        spec.outputShape(in);
        for (Layer.Leaf leaf : spec.leaves(in)) {
            MemoryGuard.check("running " + leaf.layer() + " on " + leaf.input(), workspaceBytes(leaf));
        }
        return root.forward(x.castTo(DataType.FLOAT), rows);
    }

    /**
     * The output plus the largest temporary an op makes: for a convolution, ND4J's im2col buffer (every input
     * patch unrolled, channels·K²·H_out·W_out values).
     */
    static long workspaceBytes(Layer.Leaf leaf) {
        Shape out = leaf.output();
        long output = MemoryGuard.floatBytes(out.numel());
        Conv2d c = leaf.layer() instanceof ConvLayer cl ? cl.toConv2d() : null;
        if (c == null) {
            return output == Long.MAX_VALUE ? output : 2 * output;
        }
        boolean depthwise = c.groups() == c.inChannels();
        long patchChannels = depthwise || c.groups() == 1 ? c.inChannels() : c.inChannelsPerGroup();
        long cols = MemoryGuard.floatBytes(patchChannels, (long) c.kernel() * c.kernel(), out.height(), out.width());
        return cols == Long.MAX_VALUE || output == Long.MAX_VALUE ? Long.MAX_VALUE : cols + output;
    }

    private static Conv2DConfig config(Conv2d c, WeightsFormat format) {
        return Conv2DConfig.builder()
                .kH(c.kernel()).kW(c.kernel())
                .sH(c.stride()).sW(c.stride())
                .pH(c.padding()).pW(c.padding())
                .dH(c.dilation()).dW(c.dilation())
                .dataFormat("NCHW")
                .weightsFormat(format)
                .build();
    }

    private static INDArray conv(Conv2d c, INDArray weight, INDArray bias, INDArray x) {
        if (c.groups() == 1) {
            return plainConv(x, weight, bias, c);
        }
        if (c.inChannelsPerGroup() == 1) {
            // ND4J's depthwise op wants [K, K, C, multiplier]; PyTorch's out channel c·m + j is filter j of channel c.
            int mult = c.outChannels() / c.inChannels();
            INDArray w = weight.reshape('c', c.inChannels(), mult, c.kernel(), c.kernel())
                    .permute(2, 3, 0, 1).dup('c');
            Conv2DConfig cfg = config(c, WeightsFormat.YXIO);
            return bias == null ? Nd4j.cnn().depthWiseConv2d(x, w, cfg) : Nd4j.cnn().depthWiseConv2d(x, w, bias, cfg);
        }
        // No ND4J op takes a groups argument: split the channels, convolve each group, concatenate.
        int g = c.groups();
        int inPer = c.inChannelsPerGroup();
        int outPer = c.outChannels() / g;
        Conv2d perGroup = new Conv2d(inPer, outPer, c.kernel(), c.stride(), c.padding(), c.dilation(), 1, c.bias());
        INDArray[] parts = new INDArray[g];
        for (int i = 0; i < g; i++) {
            INDArray xi = x.get(all(), interval(i * inPer, (i + 1) * inPer), all(), all()).dup('c');
            INDArray wi = weight.get(interval(i * outPer, (i + 1) * outPer), all(), all(), all()).dup('c');
            INDArray bi = bias == null ? null : bias.get(interval(i * outPer, (i + 1) * outPer)).dup('c');
            parts[i] = plainConv(xi, wi, bi, perGroup);
        }
        return Nd4j.concat(1, parts);
    }

    private static INDArray plainConv(INDArray x, INDArray w, INDArray b, Conv2d c) {
        Conv2DConfig cfg = config(c, WeightsFormat.OIYX);
        return b == null ? Nd4j.cnn().conv2d(x, w, cfg) : Nd4j.cnn().conv2d(x, w, b, cfg);
    }

    /**
     * Pooling with PyTorch's semantics (averages count the symmetric padding; a ceil-mode window that runs past the
     * edge averages over the part inside). The input is padded here and ND4J pools without padding.
     */
    private static INDArray pool(Pool p, INDArray x) {
        Shape in = Tensors.shapeOf(x);
        Shape out = p.outputShape(in);
        int k = p.kernel(), s = p.stride(), pad = p.padding();
        int extraH = Math.max(0, (out.height() - 1) * s + k - (in.height() + 2 * pad));
        int extraW = Math.max(0, (out.width() - 1) * s + k - (in.width() + 2 * pad));
        int[][] padding = {{0, 0}, {0, 0}, {pad, pad + extraH}, {pad, pad + extraW}};
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(k).kW(k).sH(s).sW(s).pH(0).pW(0).dH(1).dW(1)
                .type(p.kind() == Pool.Kind.MAX ? Pooling2D.Pooling2DType.MAX : Pooling2D.Pooling2DType.AVG)
                .isNHWC(false).build();
        if (p.kind() == Pool.Kind.MAX) {
            INDArray padded = pad == 0 && extraH == 0 && extraW == 0 ? x
                    : Nd4j.pad(x, padding, Pad.Mode.CONSTANT, Float.NEGATIVE_INFINITY);
            return Nd4j.cnn().maxPooling2d(padded, cfg);
        }
        INDArray padded = pad == 0 && extraH == 0 && extraW == 0 ? x : Nd4j.pad(x, padding, Pad.Mode.CONSTANT, 0);
        INDArray mean = Nd4j.cnn().avgPooling2d(padded, cfg);
        if (extraH == 0 && extraW == 0) {
            return mean;
        }
        // windows that run into the ceil-mode overhang divide by fewer values: rescale by k² / (values inside)
        INDArray inside = Nd4j.pad(Nd4j.ones(DataType.FLOAT, 1, 1, in.height() + 2 * pad, in.width() + 2 * pad),
                new int[][] {{0, 0}, {0, 0}, {0, extraH}, {0, extraW}}, Pad.Mode.CONSTANT, 0);
        INDArray fraction = Nd4j.cnn().avgPooling2d(inside, cfg);
        return Broadcast.div(mean, fraction.reshape(out.height(), out.width()), mean.ulike(), 2, 3);
    }

    private static INDArrayIndex all() {
        return NDArrayIndex.all();
    }

    private static INDArrayIndex interval(long from, long to) {
        return NDArrayIndex.interval(from, to);
    }

    @Override
    public String toString() {
        return "NdLayer(" + spec + ", " + weights.size() + " weight arrays)";
    }
}
