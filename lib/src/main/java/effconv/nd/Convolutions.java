package effconv.nd;

import effconv.layers.Conv2d;
import effconv.layers.Shape;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DepthwiseConv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * How each kind of convolution runs on ND4J, chosen so that measured time can follow counted cost:
 * <ul>
 * <li>pointwise (1×1, stride 1): one matrix product per group, [out/g, in/g] × [in/g, H·W], written in place;
 * <li>depthwise: ND4J's depthwise op (oneDNN), weights rearranged once to its [K, K, C, multiplier] layout;
 * <li>everything else: ND4J's conv2d op (oneDNN) once per group, reading and writing channel slices of the input
 * and output in place — no ND4J op takes a {@code groups} argument, and split → conv → concat would copy both.
 * Each op call costs ~0.1 ms whatever its size, so beyond a few groups the calls, not the arithmetic, set the time
 * (measured in lesson 10). Folding groups into one op was tried: ND4J's depthwise op with a multiplier above 1
 * runs 50-100× slower than its multiplier-1 case.
 * </ul>
 * Weights arrive in PyTorch's layout [out, in/groups, K, K]; any rearranging happens here, once.
 */
final class Convolutions {
    private Convolutions() {
    }

    static LeafOp op(Conv2d c, INDArray weight, INDArray bias) {
        // (a 1×1 conv with one input channel per group is a per-channel scale: the depthwise op does it in one pass)
        if (c.kernel() == 1 && c.stride() == 1 && c.padding() == 0 && c.inChannelsPerGroup() > 1) {
            return pointwise(c, weight, bias);
        }
        if (c.groups() > 1 && c.inChannelsPerGroup() == 1) {
            return depthwise(c, weight, bias);
        }
        return grouped(c, weight, bias);
    }

    private static LeafOp pointwise(Conv2d c, INDArray weight, INDArray bias) {
        int g = c.groups();
        int inPer = c.inChannelsPerGroup();
        int outPer = c.outChannels() / g;
        INDArray w = weight.reshape('c', c.outChannels(), inPer);
        INDArray[] ws = new INDArray[g];
        for (int i = 0; i < g; i++) {
            ws[i] = w.get(rows(i * outPer, outPer), NDArrayIndex.all()).dup('c');
        }
        return (in, out) -> {
            long plane = (long) in.height() * in.width();
            INDArray o = out.reshape('c', c.outChannels(), plane);
            INDArray[] os = new INDArray[g];
            for (int i = 0; i < g; i++) {
                os[i] = o.get(rows(i * outPer, outPer), NDArrayIndex.all());
            }
            Views xs = new Views(g, inPer, plane);
            OpCall[] calls = new OpCall[g];
            for (int i = 0; i < g; i++) {
                int k = i;
                calls[i] = new OpCall(part -> new Mmul(ws[k], part, os[k], 1.0, 0.0, MMulTranspose.allFalse()), true);
            }
            return x -> {
                INDArray[] parts = xs.of(x);
                for (int i = 0; i < g; i++) {
                    calls[i].run(parts[i]);
                }
                if (bias != null) {
                    o.addiColumnVector(bias);
                }
            };
        };
    }

    private static LeafOp depthwise(Conv2d c, INDArray weight, INDArray bias) {
        // PyTorch's out channel c·m + j is filter j of input channel c; ND4J wants [K, K, C, m]
        int mult = c.outChannels() / c.inChannels();
        INDArray w = weight.reshape('c', c.inChannels(), mult, c.kernel(), c.kernel()).permute(2, 3, 0, 1).dup('c');
        Conv2DConfig cfg = config(c, WeightsFormat.YXIO);
        return (in, out) -> new OpCall(x -> new DepthwiseConv2D(
                bias == null ? new INDArray[] {x, w} : new INDArray[] {x, w, bias}, new INDArray[] {out}, cfg),
                oneDnn(c))::run;
    }

    private static LeafOp grouped(Conv2d c, INDArray weight, INDArray bias) {
        int g = c.groups();
        int inPer = c.inChannelsPerGroup();
        int outPer = c.outChannels() / g;
        INDArray[] ws = new INDArray[g];
        INDArray[] bs = new INDArray[g];
        for (int i = 0; i < g; i++) {
            ws[i] = g == 1 ? weight : weight.get(rows(i * outPer, outPer), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup('c');
            bs[i] = bias == null ? null : g == 1 ? bias : bias.get(rows(i * outPer, outPer)).dup('c');
        }
        Conv2DConfig cfg = config(c, WeightsFormat.OIYX);
        return (in, out) -> {
            Shape o = c.outputShape(in);
            long outPlane = (long) o.height() * o.width();
            INDArray[] os = new INDArray[g];
            for (int i = 0; i < g; i++) {
                os[i] = g == 1 ? out : out.reshape('c', c.outChannels(), outPlane).get(rows(i * outPer, outPer),
                        NDArrayIndex.all()).reshape('c', 1, outPer, o.height(), o.width());
            }
            Views xs = new Views(g, inPer, (long) in.height() * in.width(), in.height(), in.width());
            OpCall[] calls = new OpCall[g];
            for (int i = 0; i < g; i++) {
                int k = i;
                calls[i] = new OpCall(part -> new Conv2D(bs[k] == null ? new INDArray[] {part, ws[k]}
                        : new INDArray[] {part, ws[k], bs[k]}, new INDArray[] {os[k]}, cfg), oneDnn(c));
            }
            return x -> {
                INDArray[] parts = xs.of(x);
                for (int i = 0; i < g; i++) {
                    calls[i].run(parts[i]);
                }
            };
        };
    }

    /**
     * The g channel slices of an input, made once per input array: slicing costs more than a small product, and a
     * layer inside a network sees the same input buffer on every run.
     */
    private static final class Views {
        private final int groups;
        private final int channels;
        private final long plane;
        private final long[] image;
        private INDArray source;
        private INDArray[] parts;

        Views(int groups, int channels, long plane, long... image) {
            this.groups = groups;
            this.channels = channels;
            this.plane = plane;
            this.image = image;
        }

        INDArray[] of(INDArray x) {
            if (x != source) {
                INDArray m = x.reshape('c', (long) groups * channels, plane);
                parts = new INDArray[groups];
                for (int i = 0; i < groups; i++) {
                    INDArray part = groups == 1 ? m : m.get(rows(i * channels, channels), NDArrayIndex.all());
                    parts[i] = image.length == 0 ? part : part.reshape('c', 1, channels, image[0], image[1]);
                }
                source = x;
            }
            return parts;
        }
    }

    /**
     * Whether oneDNN may run this convolution: not when dilated, because ND4J 1.0.0-M2.1 sets up oneDNN's primitive
     * wrongly for dilation above 1 ("could not create a descriptor for a dilated convolution").
     */
    private static boolean oneDnn(Conv2d c) {
        return c.dilation() == 1;
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex rows(long from, long count) {
        return NDArrayIndex.interval(from, from + count);
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
}
