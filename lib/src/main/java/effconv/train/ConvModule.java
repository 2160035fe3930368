package effconv.train;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import effconv.layers.Conv2d;
import effconv.lower.Op;
import effconv.lower.Weight;
import effconv.runtime.Dnnl;
import effconv.runtime.Floats;
import effconv.runtime.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * Any convolution the course counts (standard, grouped, depthwise, pointwise, strided, padded, dilated) on a batch,
 * each pass one oneDNN primitive for all groups at once: forward, backward to the input, backward to the weights
 * (and bias). The weights are one array [N, C/g, K, K] as PyTorch stores them — group after group along N.
 */
final class ConvModule extends Module {
    final Conv2d conv;
    final int groups;
    final INDArray w;
    final INDArray gw;
    final INDArray b;
    final INDArray gb;

    private INDArray y;
    private INDArray dx;
    private long[] built;
    private memory src;
    private memory diffDst;
    private Primitives.Call forwardCall;
    private Primitives.Call dataCall;
    private Primitives.Call weightsCall;
    private convolution_backward_data.primitive_desc dataPd; // its primitive is made by the first backward pass
    private memory wData;
    private Primitives.Call toForward;   // weights into the forward primitive's layout, or null: it takes them as they are
    private Primitives.Call toData;      // the same for the backward-data primitive
    private Primitives.Call fromWeights; // the weight gradient out of the backward-weights primitive's layout

    /**
     * The op's convolution with its first weights drawn from {@code init}: the weight He-normal, the bias (if any) as
     * the lowering says ({@link Weight.Init}, PyTorch's default).
     */
    ConvModule(Op.Conv op, Random init) {
        super(op.path(), op.conv());
        this.conv = op.conv();
        groups = conv.groups();
        long[] shape = op.weight().shape(); // [out, C/g, K, K]
        w = Floats.create(shape);
        gw = Floats.zeros(shape);
        // He (Kaiming) normal, std = √(2 / fan_in), fan_in = C/g·K², not PyTorch's default uniform (std
        // 1/√(3·fan_in)): each ReLU halves the second moment and the 2 restores it, so a net trained without batch
        // norm (--no-bn) starts with activations of one scale through its depth (the committed sweeps began so)

        double std = Math.sqrt(2.0 / ((double) shape[1] * shape[2] * shape[3]));
        float[] v = new float[(int) w.length()];
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (init.nextGaussian() * std);
        }
        Floats.write(depthwise() ? fromDepthwiseOrder(v) : v, w);
        b = op.bias() != null ? Weights.draw(init, op.bias()) : null;
        gb = op.bias() != null ? Floats.zeros(conv.outChannels()) : null;
    }

    private boolean depthwise() {
        return groups > 1 && conv.inChannelsPerGroup() == 1;
    }

    /**
     * A depthwise layer's weights were first drawn in ND4J's [K, K, C, m] order (output channel c·m + j), the order
     * the committed training runs used; the same draws, placed in [C·m, 1, K, K], keep every seed's network.
     */
    private float[] fromDepthwiseOrder(float[] drawn) {
        int k = conv.kernel();
        int c = conv.inChannels();
        int m = conv.outChannels() / c;
        float[] out = new float[drawn.length];
        for (int kh = 0; kh < k; kh++) {
            for (int kw = 0; kw < k; kw++) {
                for (int ci = 0; ci < c; ci++) {
                    for (int j = 0; j < m; j++) {
                        out[((ci * m + j) * k + kh) * k + kw] = drawn[((kh * k + kw) * c + ci) * m + j];
                    }
                }
            }
        }
        return out;
    }

    @Override
    List<Param> params() {
        return Param.weightAndBias(path, w, gw, b, gb);
    }

    @Override
    INDArray forward(INDArray input, boolean training) {
        if (!java.util.Arrays.equals(built, Primitives.dims(input))) {
            build(Primitives.dims(input));
        }
        Primitives.point(src, input);
        if (toForward != null) {
            toForward.run(); // the weights changed since the last pass
        }
        forwardCall.run();
        return y;
    }

    /**
     * The three primitives, each choosing its weights' layout (oneDNN's fast kernels want them blocked; the
     * activations stay channels-last): the weights are reordered into it before a pass that reads them, and the
     * weight gradient back out of it.
     */
    private void build(long[] in) {
        hold(true);
        int ho = conv.outputSize((int) in[2], "height");
        int wo = conv.outputSize((int) in[3], "width");
        long[] out = {in[0], conv.outChannels(), ho, wo};
        y = Primitives.create(out);
        dx = null; // made by the first backward pass: evaluation never needs it
        dataCall = null;
        int k = conv.kernel();
        int g = groups;
        long[] wDims = g == 1 ? w.shape() : new long[] {g, conv.outChannels() / g, conv.inChannelsPerGroup(), k, k};
        memory.desc srcMd = Primitives.act(in);
        memory.desc dstMd = Primitives.act(out);
        memory.desc wMd = Primitives.plain(wDims);
        memory.desc wAny = Dnnl.md(wDims, memory.format_tag.any);
        memory.desc bMd = b == null ? new memory.desc() : Primitives.plain(conv.outChannels());
        long[] strides = {conv.stride(), conv.stride()};
        long[] dilates = {conv.dilation() - 1, conv.dilation() - 1};
        long[] pad = {conv.padding(), conv.padding()}; // the same on both sides: oneDNN then rounds sizes down, as the spec
        convolution_forward.desc fd = new convolution_forward.desc(prop_kind.forward_training,
                algorithm.convolution_direct, srcMd, wAny, bMd, dstMd, strides, dilates, pad, pad);
        convolution_forward.primitive_desc fpd = new convolution_forward.primitive_desc(fd, Dnnl.engine());
        src = Primitives.unbound(srcMd);
        memory wm = Primitives.over(w, wMd);
        memory wForward = layout(wm, fpd.weights_desc());
        toForward = wForward == wm ? null : Primitives.reorder(wm, wForward);
        IntMemoryMap fa = new IntMemoryMap().put(DNNL_ARG_SRC, src).put(DNNL_ARG_WEIGHTS, wForward)
                .put(DNNL_ARG_DST, Primitives.over(y, dstMd));
        if (b != null) {
            fa.put(DNNL_ARG_BIAS, Primitives.over(b, bMd));
        }
        forwardCall = Primitives.Call.of(fpd, new convolution_forward(fpd), fa);

        diffDst = Primitives.unbound(dstMd);
        convolution_backward_weights.desc wd = new convolution_backward_weights.desc(algorithm.convolution_direct,
                srcMd, wAny, bMd, dstMd, strides, dilates, pad, pad);
        convolution_backward_weights.primitive_desc wpd =
                new convolution_backward_weights.primitive_desc(wd, Dnnl.engine(), fpd);
        memory gwm = Primitives.over(gw, wMd);
        memory gwPrimitive = layout(gwm, wpd.diff_weights_desc());
        fromWeights = gwPrimitive == gwm ? null : Primitives.reorder(gwPrimitive, gwm);
        IntMemoryMap wa = new IntMemoryMap().put(DNNL_ARG_SRC, src).put(DNNL_ARG_DIFF_DST, diffDst)
                .put(DNNL_ARG_DIFF_WEIGHTS, gwPrimitive);
        if (gb != null) {
            wa.put(DNNL_ARG_DIFF_BIAS, Primitives.over(gb, bMd));
        }
        weightsCall = Primitives.Call.of(wpd, new convolution_backward_weights(wpd), wa);

        convolution_backward_data.desc dd = new convolution_backward_data.desc(algorithm.convolution_direct,
                srcMd, wAny, dstMd, strides, dilates, pad, pad);
        dataPd = new convolution_backward_data.primitive_desc(dd, Dnnl.engine(), fpd);
        wData = dataPd.weights_desc().equals(wForward.get_desc()) ? wForward : layout(wm, dataPd.weights_desc());
        toData = wData == wForward ? null : Primitives.reorder(wm, wData);
        hold(false, fd, wd, dd, fpd, wpd, wm, gwm, srcMd, dstMd, wMd, wAny, bMd, fa, wa);
        built = in.clone();
    }

    /** {@code plain} itself if a primitive takes that layout, else a new buffer in the layout it wants. */
    private memory layout(memory plain, memory.desc wanted) {
        if (wanted.equals(plain.get_desc())) {
            return plain;
        }
        List<Object> buffer = new ArrayList<>();
        memory m = Dnnl.memory(wanted, "a convolution's weights", buffer);
        hold(false, buffer.toArray());
        return m;
    }

    @Override
    void backwardParams(INDArray dy) {
        Primitives.point(diffDst, dy);
        weightsCall.run();
        if (fromWeights != null) {
            fromWeights.run();
        }
    }

    @Override
    INDArray backward(INDArray dy) {
        backwardParams(dy);
        if (dataCall == null) {
            dx = Primitives.create(built);
            memory diffSrc = Primitives.over(dx, Primitives.act(built));
            IntMemoryMap da = new IntMemoryMap().put(DNNL_ARG_DIFF_DST, diffDst).put(DNNL_ARG_WEIGHTS, wData)
                    .put(DNNL_ARG_DIFF_SRC, diffSrc);
            dataCall = Primitives.Call.of(dataPd, new convolution_backward_data(dataPd), da);
            hold(false, diffSrc, da);
        }
        if (toData != null) {
            toData.run();
        }
        dataCall.run();
        return dx;
    }

    @Override
    INDArray output() {
        return y;
    }

    /** Which oneDNN implementation runs each pass, e.g. "jit:avx512_core": a reference kernel here is slow. */
    List<String> implementations() {
        List<String> s = new ArrayList<>(List.of(forwardCall.impl(), weightsCall.impl()));
        if (dataCall != null) {
            s.add(dataCall.impl());
        }
        return s;
    }
}
