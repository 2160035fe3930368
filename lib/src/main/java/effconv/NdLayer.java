package effconv;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A layer spec made real: its weights allocated in ND4J and a forward pass. This is what the machine does, kept
 * apart from what the papers count ({@link Layer}).
 *
 * <p>Weights are kept in PyTorch's layout — [out, in/groups, K, K] and a bias [out] — so golden files made with
 * PyTorch load as they are; each op gets the layout it wants.
 */
public final class NdLayer {

    /** One conv module with its weights. */
    private record Module(Conv2d conv, INDArray weight, INDArray bias) {
    }

    /** What one summary row produced. */
    public record RowResult(Shape output, long params, INDArray value) {
    }

    private final Layer spec;
    private final List<Module> modules;

    private NdLayer(Layer spec, List<Module> modules) {
        this.spec = spec;
        this.modules = modules;
    }

    /**
     * Allocates the layer with seeded weights, uniform in ±1/√fan_in (PyTorch's default bound), so the same
     * seed always gives the same layer.
     */
    public static NdLayer init(Layer spec, long seed) {
        List<Conv2d> convs = convs(spec);
        long bytes = 0;
        for (Conv2d c : convs) {
            bytes += MemoryGuard.floatBytes(c.params());
        }
        MemoryGuard.check("the weights of " + spec.getClass().getSimpleName(), bytes);
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Module> modules = new ArrayList<>();
        for (Conv2d c : convs) {
            double bound = 1.0 / Math.sqrt((double) c.inChannelsPerGroup() * c.kernel() * c.kernel());
            INDArray w = Tensors.uniform(torchWeightShape(c), bound, seeds.nextLong());
            INDArray b = c.bias() ? Tensors.uniform(new long[] {c.outChannels()}, bound, seeds.nextLong()) : null;
            modules.add(new Module(c, w, b));
        }
        return new NdLayer(spec, modules);
    }

    /**
     * The layer with given weights, in PyTorch's layout and order: for each conv module its weight, then its bias
     * if it has one.
     */
    public static NdLayer withWeights(Layer spec, List<INDArray> weights) {
        Check.notNull("weights", weights);
        List<Conv2d> convs = convs(spec);
        List<Module> modules = new ArrayList<>();
        int i = 0;
        for (Conv2d c : convs) {
            INDArray w = expect(weights, i++, torchWeightShape(c), c);
            INDArray b = c.bias() ? expect(weights, i++, new long[] {c.outChannels()}, c) : null;
            modules.add(new Module(c, w, b));
        }
        if (i != weights.size()) {
            throw new IllegalArgumentException("weights has " + weights.size() + " arrays, which is not allowed: "
                    + spec + " takes " + i);
        }
        return new NdLayer(spec, modules);
    }

    private static INDArray expect(List<INDArray> ws, int i, long[] shape, Conv2d c) {
        if (i >= ws.size() || !java.util.Arrays.equals(ws.get(i).shape(), shape)) {
            throw new IllegalArgumentException("weights[" + i + "] has shape "
                    + (i < ws.size() ? java.util.Arrays.toString(ws.get(i).shape()) : "(missing)")
                    + ", which is not allowed: " + c + " needs " + java.util.Arrays.toString(shape));
        }
        return ws.get(i).castTo(DataType.FLOAT);
    }

    private static List<Conv2d> convs(Layer spec) {
        Check.notNull("layer", spec);
        List<Conv2d> out = new ArrayList<>();
        for (Layer l : spec.rows()) {
            if (l instanceof Conv2d c) {
                out.add(c);
            } else if (l instanceof ConvLayer c) {
                out.add(c.toConv2d());
            } else {
                throw new IllegalArgumentException("layer " + l + " is not allowed here: NdLayer runs convolutions");
            }
        }
        return out;
    }

    private static long[] torchWeightShape(Conv2d c) {
        return new long[] {c.outChannels(), c.inChannelsPerGroup(), c.kernel(), c.kernel()};
    }

    public Layer spec() {
        return spec;
    }

    /** Parameters actually allocated (to compare with the counted {@link Layer#params()}). */
    public long allocatedParams() {
        return modules.stream().mapToLong(m -> m.weight.length() + (m.bias == null ? 0 : m.bias.length())).sum();
    }

    /** The weights in PyTorch's layout and order (each module's weight, then its bias). */
    public List<INDArray> weights() {
        List<INDArray> out = new ArrayList<>();
        for (Module m : modules) {
            out.add(m.weight);
            if (m.bias != null) {
                out.add(m.bias);
            }
        }
        return out;
    }

    /** Runs the layer on one sample [1, C, H, W]. */
    public INDArray forward(INDArray x) {
        List<RowResult> rows = forwardRows(x);
        return rows.get(rows.size() - 1).value();
    }

    /** Runs the layer and keeps every row's output, as torchsummary's hooks see them. */
    public List<RowResult> forwardRows(INDArray x) {
        Shape in = Tensors.shapeOf(x);
        // Check the whole chain with the cost model first: a bad shape is reported before ND4J sees it.
        Shape s = in;
        for (Module m : modules) {
            s = m.conv.outputShape(s);
            MemoryGuard.check("running " + m.conv + " on " + in, workspaceBytes(m.conv, s));
        }
        List<RowResult> out = new ArrayList<>();
        INDArray cur = x.castTo(DataType.FLOAT);
        for (Module m : modules) {
            cur = run(m, cur);
            out.add(new RowResult(Tensors.shapeOf(cur), m.weight.length() + (m.bias == null ? 0 : m.bias.length()),
                    cur));
        }
        return out;
    }

    /**
     * The output plus ND4J's im2col buffer (every input patch unrolled: channels·K²·H_out·W_out values), the
     * largest temporary a convolution makes.
     */
    static long workspaceBytes(Conv2d c, Shape out) {
        boolean depthwise = c.groups() == c.inChannels();
        long patchChannels = depthwise || c.groups() == 1 ? c.inChannels() : c.inChannelsPerGroup();
        long cols = MemoryGuard.floatBytes(patchChannels, (long) c.kernel() * c.kernel(), out.height(), out.width());
        long output = MemoryGuard.floatBytes(out.numel());
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

    private static INDArray run(Module m, INDArray x) {
        Conv2d c = m.conv;
        if (c.groups() == 1) {
            return conv(x, m.weight, m.bias, c);
        }
        if (c.inChannelsPerGroup() == 1 && c.groups() == c.inChannels()) {
            // ND4J's depthwise op wants [K, K, C, multiplier]; PyTorch's out channel c·m + j is filter j of channel c.
            int mult = c.outChannels() / c.inChannels();
            INDArray w = m.weight.reshape('c', c.inChannels(), mult, c.kernel(), c.kernel())
                    .permute(2, 3, 0, 1).dup('c');
            Conv2DConfig cfg = config(c, WeightsFormat.YXIO);
            return m.bias == null ? Nd4j.cnn().depthWiseConv2d(x, w, cfg)
                    : Nd4j.cnn().depthWiseConv2d(x, w, m.bias, cfg);
        }
        // No ND4J op takes a groups argument: split the channels, convolve each group, concatenate.
        int g = c.groups();
        int inPer = c.inChannelsPerGroup();
        int outPer = c.outChannels() / g;
        Conv2d perGroup = new Conv2d(inPer, outPer, c.kernel(), c.stride(), c.padding(), c.dilation(), 1, c.bias());
        INDArray[] parts = new INDArray[g];
        for (int i = 0; i < g; i++) {
            INDArray xi = x.get(all(), interval(i * inPer, (i + 1) * inPer), all(), all()).dup('c');
            INDArray wi = m.weight.get(interval(i * outPer, (i + 1) * outPer), all(), all(), all()).dup('c');
            INDArray bi = m.bias == null ? null : m.bias.get(interval(i * outPer, (i + 1) * outPer)).dup('c');
            parts[i] = conv(xi, wi, bi, perGroup);
        }
        return Nd4j.concat(1, parts);
    }

    private static INDArray conv(INDArray x, INDArray w, INDArray b, Conv2d c) {
        Conv2DConfig cfg = config(c, WeightsFormat.OIYX);
        return b == null ? Nd4j.cnn().conv2d(x, w, cfg) : Nd4j.cnn().conv2d(x, w, b, cfg);
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex all() {
        return org.nd4j.linalg.indexing.NDArrayIndex.all();
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex interval(long from, long to) {
        return org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to);
    }

    @Override
    public String toString() {
        return "NdLayer(" + spec + ", " + allocatedParams() + " weights allocated)";
    }
}
