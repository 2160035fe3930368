package effconv.nd;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.ChannelShuffle;
import effconv.layers.Check;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.AvgPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Relu6;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
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

    /**
     * A piece of the executable tree; leaves append one row each, in the order of {@link Layer#leaves}, when rows is
     * not null. The array returned is the node's own output buffer: allocated once per input shape and overwritten
     * by the next run, because a fresh off-heap array per op costs more than a small convolution itself.
     */
    private interface Node {
        INDArray forward(INDArray x, List<RowResult> rows);
    }

    private final Layer spec;
    private final Node root;
    private final List<INDArray> weights;

    private final long allocated;
    private Shape planned;

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

    /**
     * The executable tree of a spec: one case per kind of layer (a {@link Layer.Visitor}, so a new kind is a compile
     * error here until it has one), leaves first, then the ways to combine them.
     */
    private static Node build(Layer l, Source src, long[] params) {
        return l.accept(new Builder(src, params));
    }

    private record Builder(Source src, long[] params) implements Layer.Visitor<Node> {
        @Override
        public Node named(Named n) {
            return build(n.layer(), src, params);
        }

        @Override
        public Node composite(Composite c) {
            return build(c.graph(), src, params);
        }

        @Override
        public Node conv(ConvLayer cl) {
            return NdLayer.conv(cl, src, params);
        }

        @Override
        public Node batchNorm(BatchNorm bn) {
            return NdLayer.batchNorm(bn, src, params);
        }

        @Override
        public Node fullyConnected(FullyConnected fc) {
            return linear(fc, src, params);
        }

        @Override
        public Node activation(Activation a) {
            return leaf(params, a, 0, (in, out) -> x -> Nd4j.exec(a.kind() == Activation.Kind.RELU
                    ? new RectifiedLinear(x, out, 0.0) : new Relu6(x, out, 0.0)));
        }

        @Override
        public Node pool(Pool p) {
            return leaf(params, p, 0, (in, out) -> NdLayer.pool(p, in, out));
        }

        @Override
        public Node globalAvgPool(GlobalAvgPool g) {
            return leaf(params, g, 0, (in, out) -> {
                INDArray y = out.reshape('c', 1, in.channels());
                return x -> Nd4j.exec(new Mean(x, y, 2, 3));
            });
        }

        @Override
        public Node shuffle(ChannelShuffle s) {
            return leaf(params, s, 0, (in, out) -> x -> NdLayer.shuffle(s.groups(), in, x, out));
        }

        @Override
        public Node add(Residual.Add a) {
            throw new IllegalArgumentException("layer Add is not allowed on its own: it is part of a Residual");
        }

        @Override
        public Node sequence(Sequence s) {
            return NdLayer.sequence(s, src, params);
        }

        @Override
        public Node concat(Concat c) {
            return NdLayer.concat(c, src, params);
        }

        @Override
        public Node residual(Residual r) {
            return NdLayer.residual(r, src, params);
        }
    }

    private static Node conv(ConvLayer layer, Source src, long[] params) {
        Conv2d c = layer.toConv2d();
        double bound = 1.0 / Math.sqrt((double) c.inChannelsPerGroup() * c.kernel() * c.kernel());
        INDArray w = src.next(new long[] {c.outChannels(), c.inChannelsPerGroup(), c.kernel(), c.kernel()},
                Init.uniform(bound));
        INDArray b = c.bias() ? src.next(new long[] {c.outChannels()}, Init.uniform(bound)) : null;
        return leaf(params, layer, w.length() + (b == null ? 0 : b.length()), Convolutions.op(c, w, b));
    }

    private static Node batchNorm(BatchNorm bn, Source src, long[] params) {
        long[] s = {bn.channels()};
        INDArray gamma = src.next(s, Init.around(1, 0.2));
        INDArray beta = src.next(s, Init.uniform(0.2));
        INDArray mean = src.next(s, Init.uniform(0.2));
        INDArray var = src.next(s, Init.around(1, 0.2));
        // y = x·scale + shift per channel, run as a 1×1 depthwise convolution with bias: oneDNN does it in one
        // pass, where ND4J's broadcasts and its batchnorm op took 5-10× longer
        INDArray scale = gamma.div(Transforms.sqrt(var.add(BatchNorm.EPS), true));
        INDArray shift = beta.sub(mean.mul(scale));
        return leaf(params, bn, 2L * bn.channels(), Convolutions.op(Conv2d.of(bn.channels(), bn.channels(), 1)
                .groups(bn.channels()).bias(true), scale.reshape('c', bn.channels(), 1, 1, 1), shift));
    }

    private static Node linear(FullyConnected fc, Source src, long[] params) {
        double bound = 1.0 / Math.sqrt(fc.in());
        INDArray w = src.next(new long[] {fc.out(), fc.in()}, Init.uniform(bound));
        INDArray b = fc.bias() ? src.next(new long[] {fc.out()}, Init.uniform(bound)) : null;
        return leaf(params, fc, w.length() + (b == null ? 0 : b.length()), (in, out) -> {
            INDArray y = out.reshape('c', 1, fc.out());
            return x -> {
                Nd4j.gemm(x.reshape('c', 1, fc.in()), w, y, false, true, 1.0, 0.0);
                if (b != null) {
                    y.addiRowVector(b);
                }
            };
        });
    }

    private static Node sequence(Sequence s, Source src, long[] params) {
        List<Node> nodes = s.layers().stream().map(c -> build(c, src, params)).toList();
        return (x, rows) -> {
            INDArray cur = x;
            for (Node n : nodes) {
                cur = n.forward(cur, rows);
            }
            return cur;
        };
    }

    private static Node concat(Concat c, Source src, long[] params) {
        List<Node> nodes = c.branches().stream().map(b -> build(b, src, params)).toList();
        Buffer buffer = new Buffer();
        return (x, rows) -> {
            INDArray[] parts = new INDArray[nodes.size()];
            long channels = 0;
            for (int i = 0; i < parts.length; i++) {
                parts[i] = nodes.get(i).forward(x, rows);
                channels += parts[i].size(1);
            }
            INDArray out = buffer.get(1, channels, parts[0].size(2), parts[0].size(3));
            long from = 0;
            for (INDArray part : parts) {
                out.get(all(), interval(from, from + part.size(1)), all(), all()).assign(part);
                from += part.size(1);
            }
            return out;
        };
    }

    private static Node residual(Residual r, Source src, long[] params) {
        Node body = build(r.body(), src, params);
        Node shortcut = r.shortcut() == null ? null : build(r.shortcut(), src, params);
        Buffer buffer = new Buffer();
        return (x, rows) -> {
            INDArray y = body.forward(x, rows);
            INDArray s = shortcut == null ? x : shortcut.forward(x, rows);
            INDArray out = buffer.get(y.shape());
            Nd4j.exec(new AddOp(y, s, out));
            if (rows != null) {
                rows.add(new RowResult(Tensors.shapeOf(out), 0, out));
            }
            return out;
        };
    }

    private static Node leaf(long[] total, Layer layer, long params, LeafOp op) {
        total[0] += params;
        return new Leaf(layer, params, op);
    }

    /** A leaf with its output buffer and prepared step, both remade only when the input shape changes. */
    private static final class Leaf implements Node {
        private final Layer layer;
        private final long params;
        private final LeafOp op;
        private Shape in;
        private INDArray out;
        private LeafOp.Step step;

        Leaf(Layer layer, long params, LeafOp op) {
            this.layer = layer;
            this.params = params;
            this.op = op;
        }

        @Override
        public INDArray forward(INDArray x, List<RowResult> rows) {
            Shape shape = Tensors.shapeOf(x);
            if (!shape.equals(in)) {
                out = Nd4j.createUninitialized(DataType.FLOAT, layer.outputShape(shape).withBatch(1), 'c');
                step = op.prepare(shape, out);
                in = shape;
            }
            step.run(x);
            if (rows != null) {
                rows.add(new RowResult(Tensors.shapeOf(out), params, out));
            }
            return out;
        }
    }

    /** An output array kept between runs, remade when the shape changes. */
    private static final class Buffer {
        private INDArray array;

        INDArray get(long... shape) {
            if (array == null || !Arrays.equals(array.shape(), shape)) {
                array = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
            }
            return array;
        }
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

    /** Runs the layer on one sample [1, C, H, W] and returns a new array with the result. */
    public INDArray forward(INDArray x) {
        return run(x).dup('c');
    }

    /**
     * Runs the layer on one sample [1, C, H, W] and returns the layer's own output buffer, which the next run
     * overwrites: what timing measures, without copying the result out. Use {@link #forward} to keep a result.
     */
    public INDArray run(INDArray x) {
        return execute(x, null);
    }

    /** Runs the layer and keeps every row's output (copies), as torchsummary's hooks see them. */
    public List<RowResult> forwardRows(INDArray x) {
        // execute() checks the whole network with the cost model first: a bad shape is reported before ND4J sees it
        List<RowResult> rows = new ArrayList<>();
        execute(x, rows);
        return rows.stream().map(r -> new RowResult(r.output(), r.params(), r.value().dup('c'))).toList();
    }

    private INDArray execute(INDArray x, List<RowResult> rows) {
        Check.notNull("x", x);
        Shape in = Tensors.shapeOf(x);
        if (!in.equals(planned)) {
            spec.outputShape(in);
            // every row keeps its output buffer between runs; the largest temporary (im2col) exists once at a time
            long outputs = 0;
            long temporary = 0;
            for (Layer.Leaf leaf : spec.leaves(in)) {
                long bytes = workspaceBytes(leaf);
                MemoryGuard.check("running " + leaf.layer() + " on " + leaf.input(), bytes);
                long output = MemoryGuard.floatBytes(leaf.output().numel());
                outputs = saturatedAdd(outputs, output);
                temporary = Math.max(temporary, bytes - output);
            }
            MemoryGuard.check("running " + spec + " on " + in + " (every layer's output)",
                    saturatedAdd(outputs, temporary));
            planned = in;
        }
        INDArray input = x.dataType() == DataType.FLOAT && x.ordering() == 'c'
                && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(x) ? x : x.castTo(DataType.FLOAT).dup('c');
        return root.forward(input, rows);
    }

    private static long saturatedAdd(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    /**
     * The output plus the largest temporary an op makes: for a convolution, the unrolled input patches oneDNN or
     * im2col may build (channels·K²·H_out·W_out values); pointwise and depthwise convolutions need none.
     */
    static long workspaceBytes(Layer.Leaf leaf) {
        Shape out = leaf.output();
        long output = MemoryGuard.floatBytes(out.numel());
        Conv2d c = leaf.layer() instanceof ConvLayer cl ? cl.toConv2d() : null;
        if (c == null) {
            return output == Long.MAX_VALUE ? output : 2 * output;
        }
        long cols = MemoryGuard.floatBytes(c.inChannels(), (long) c.kernel() * c.kernel(), out.height(), out.width());
        return cols == Long.MAX_VALUE || output == Long.MAX_VALUE ? Long.MAX_VALUE : cols + output;
    }

    /**
     * Pooling with PyTorch's semantics (averages count the symmetric padding; a ceil-mode window that runs past the
     * edge averages over the part inside). The input is copied into a padded buffer, whose border is filled once,
     * and ND4J pools without padding.
     */
    private static LeafOp.Step pool(Pool p, Shape in, INDArray out) {
        Shape o = p.outputShape(in);
        int k = p.kernel(), s = p.stride(), pad = p.padding();
        int extraH = Math.max(0, (o.height() - 1) * s + k - (in.height() + 2 * pad));
        int extraW = Math.max(0, (o.width() - 1) * s + k - (in.width() + 2 * pad));
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(k).kW(k).sH(s).sW(s).pH(0).pW(0).dH(1).dW(1)
                .type(p.kind() == Pool.Kind.MAX ? Pooling2D.Pooling2DType.MAX : Pooling2D.Pooling2DType.AVG)
                .isNHWC(false).build();
        boolean max = p.kind() == Pool.Kind.MAX;
        INDArray padded;
        INDArray inside;
        if (pad == 0 && extraH == 0 && extraW == 0) {
            padded = null;
            inside = null;
        } else {
            padded = Nd4j.valueArrayOf(new long[] {1, in.channels(), in.height() + 2L * pad + extraH,
                    in.width() + 2L * pad + extraW}, max ? Float.NEGATIVE_INFINITY : 0f, DataType.FLOAT);
            inside = padded.get(all(), all(), interval(pad, pad + in.height()), interval(pad, pad + in.width()));
        }
        INDArray fraction = null;
        if (!max && (extraH > 0 || extraW > 0)) {
            // windows that run into the ceil-mode overhang divide by fewer values: rescale by k² / (values inside)
            INDArray ones = Nd4j.zeros(DataType.FLOAT, 1, 1, padded.size(2), padded.size(3));
            ones.get(all(), all(), interval(0, in.height() + 2L * pad), interval(0, in.width() + 2L * pad)).assign(1);
            fraction = Nd4j.cnn().avgPooling2d(ones, cfg).reshape(o.height(), o.width());
        }
        INDArray f = fraction;
        OpCall call = new OpCall(in2 -> max ? new MaxPooling2D(in2, out, cfg) : new AvgPooling2D(in2, out, cfg), true);
        return x -> {
            INDArray source = x;
            if (padded != null) {
                inside.assign(x);
                source = padded;
            }
            call.run(source);
            if (f != null) {
                Broadcast.div(out, f, out, 2, 3);
            }
        };
    }

    /**
     * ShuffleNet's channel shuffle (reshape to [g, C/g], transpose, flatten) is a permutation of whole channels, so
     * it is done as one block copy per channel instead of a strided ND4J copy.
     */
    private static void shuffle(int groups, Shape in, INDArray x, INDArray out) {
        INDArray source = x.isView() ? x.dup('c') : x;
        long plane = (long) in.height() * in.width() * Float.BYTES;
        long perGroup = in.channels() / groups;
        BytePointer from = new BytePointer(source.data().addressPointer());
        BytePointer to = new BytePointer(out.data().addressPointer());
        for (long k = 0; k < perGroup; k++) {
            for (long i = 0; i < groups; i++) {
                to.position((k * groups + i) * plane);
                from.position((i * perGroup + k) * plane);
                Pointer.memcpy(to, from, plane);
            }
        }
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
