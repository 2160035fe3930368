package effconv.train;

import effconv.layers.Conv2d;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * Any convolution the course counts (standard, grouped, depthwise, pointwise, strided, padded) on a batch, with
 * ND4J's oneDNN ops: {@code conv2d}/{@code conv2d_bp} once per group on that group's channels, or
 * {@code depthwise_conv2d}/{@code depthwise_conv2d_bp} once when every group has one input channel. Each group's
 * weights are their own array, [N/g, C/g, K, K] as PyTorch orders them; a depthwise layer keeps ND4J's
 * [K, K, C, multiplier].
 */
final class ConvModule extends Module {
    final Conv2d conv;
    final int groups;
    final int inPer;
    final int outPer;
    final boolean depthwise;
    final INDArray[] w;
    final INDArray[] gw;
    final INDArray[] b;
    final INDArray[] gb;

    private INDArray x;
    private INDArray y;
    private INDArray dx;
    private final INDArray[] xg;
    private final INDArray[] yg;
    private final INDArray[] dyg;
    private final INDArray[] dxg;
    private final NativeOp[] forwardOps;
    private final NativeOp[] backwardOps;
    private final INDArray[] transposed;
    private final INDArray[] transposedGrad;

    ConvModule(String path, Conv2d conv, Random init) {
        super(path, conv);
        this.conv = conv;
        groups = conv.groups();
        inPer = conv.inChannelsPerGroup();
        outPer = conv.outChannels() / groups;
        depthwise = groups > 1 && inPer == 1;
        int arrays = depthwise || groups == 1 ? 1 : groups;
        w = new INDArray[arrays];
        gw = new INDArray[arrays];
        b = new INDArray[arrays];
        gb = new INDArray[arrays];
        // He (Kaiming) normal initialisation for ReLU networks: std = √(2 / fan_in), fan_in = C/g·K²
        double std = Math.sqrt(2.0 / ((double) inPer * conv.kernel() * conv.kernel()));
        double bound = 1 / Math.sqrt((double) inPer * conv.kernel() * conv.kernel());
        int k = conv.kernel();
        for (int i = 0; i < arrays; i++) {
            long[] shape = depthwise ? new long[] {k, k, conv.inChannels(), conv.outChannels() / conv.inChannels()}
                    : new long[] {arrays == 1 ? conv.outChannels() : outPer, inPer, k, k};
            w[i] = Floats.create(shape);
            float[] v = new float[(int) w[i].length()];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) (init.nextGaussian() * std);
            }
            Floats.write(v, w[i]);
            gw[i] = Floats.zeros(shape);
            if (conv.bias()) {
                long n = arrays == 1 ? conv.outChannels() : outPer;
                b[i] = Floats.create(n);
                float[] bv = new float[(int) n];
                for (int j = 0; j < bv.length; j++) {
                    bv[j] = (float) ((init.nextDouble() * 2 - 1) * bound);
                }
                Floats.write(bv, b[i]);
                gb[i] = Floats.zeros(n);
            }
        }
        forwardOps = new NativeOp[arrays];
        backwardOps = new NativeOp[arrays];
        transposed = new INDArray[arrays];
        transposedGrad = new INDArray[arrays];
        for (int i = 0; i < arrays; i++) {
            // [out, in, K, K] weights for the forward op; [K, K, C, m] for depthwise ones
            forwardOps[i] = NativeOp.of(depthwise ? "depthwise_conv2d" : "conv2d", args(depthwise ? 0 : 1));
            backwardOps[i] = NativeOp.of(depthwise ? "depthwise_conv2d_bp" : "conv2d_bp", args(0));
        }
        xg = new INDArray[groups];
        yg = new INDArray[groups];
        dyg = new INDArray[groups];
        dxg = new INDArray[groups];
    }

    @Override
    List<Param> params() {
        List<Param> ps = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            String suffix = w.length == 1 ? "" : "[" + i + "]";
            ps.add(new Param(path + ".weight" + suffix, w[i], gw[i]));
            if (b[i] != null) {
                ps.add(new Param(path + ".bias" + suffix, b[i], gb[i]));
            }
        }
        return ps;
    }

    @Override
    INDArray forward(INDArray input, boolean training) {
        long n = input.size(0);
        int h = (int) input.size(2);
        int wd = (int) input.size(3);
        int ho = conv.outputSize(h, "height");
        int wo = conv.outputSize(wd, "width");
        long[] outShape = {n, conv.outChannels(), ho, wo};
        if (!sameShape(y, outShape)) {
            y = Floats.create(outShape);
            dx = null; // made by the first backward pass: evaluation never needs it
            if (w.length > 1) {
                for (int i = 0; i < groups; i++) {
                    xg[i] = Floats.create(n, inPer, h, wd);
                    yg[i] = Floats.create(n, outPer, ho, wo);
                    dyg[i] = null;
                    dxg[i] = null;
                }
            }
        }
        x = input;
        if (w.length == 1) {
            forwardOps[0].exec(new INDArray[] {input, w[0], b[0]}, new INDArray[] {y});
        } else {
            for (int i = 0; i < groups; i++) {
                Floats.copyChannels(input, i * inPer, xg[i], 0, inPer);
                forwardOps[i].exec(new INDArray[] {xg[i], w[i], b[i]}, new INDArray[] {yg[i]});
                Floats.copyChannels(yg[i], 0, y, i * outPer, outPer);
            }
        }
        return y;
    }

    @Override
    INDArray backward(INDArray dy) {
        if (dx == null) {
            dx = Floats.create(x.shape());
            for (int i = 0; w.length > 1 && i < groups; i++) {
                dyg[i] = Floats.create(yg[i].shape());
                dxg[i] = Floats.create(xg[i].shape());
            }
        }
        if (depthwise) {
            backwardOps[0].exec(new INDArray[] {x, w[0], b[0], dy}, new INDArray[] {dx, gw[0], gb[0]});
        } else if (w.length == 1) {
            backwardGroup(x, 0, dy, dx);
        } else {
            for (int i = 0; i < groups; i++) {
                Floats.copyChannels(dy, i * outPer, dyg[i], 0, outPer);
                backwardGroup(xg[i], i, dyg[i], dxg[i]);
                Floats.copyChannels(dxg[i], 0, dx, i * inPer, inPer);
            }
        }
        return dx;
    }

    /**
     * ND4J 1.0.0-M2.1's {@code conv2d_bp} returns a wrong weight gradient for 1×1 kernels when the weights are given
     * as [out, in, K, K] (found by the gradient test); with its default [K, K, in, out] it is right, so the backward
     * pass hands the weights over in that layout and turns the gradient back.
     */
    private void backwardGroup(INDArray input, int i, INDArray dy, INDArray dInput) {
        if (transposed[i] == null) {
            transposed[i] = Floats.create(w[i].size(2), w[i].size(3), w[i].size(1), w[i].size(0));
            transposedGrad[i] = Floats.create(transposed[i].shape());
        }
        transposed[i].assign(w[i].permute(2, 3, 1, 0));
        backwardOps[i].exec(new INDArray[] {input, transposed[i], b[i], dy},
                new INDArray[] {dInput, transposedGrad[i], gb[i]});
        gw[i].assign(transposedGrad[i].permute(3, 2, 0, 1));
    }

    @Override
    INDArray output() {
        return y;
    }

    /** kH, kW, sH, sW, pH, pW, dH, dW, explicit padding, NCHW, and the weights' layout. */
    private int[] args(int weightsFormat) {
        int k = conv.kernel();
        int s = conv.stride();
        int p = conv.padding();
        int d = conv.dilation();
        return new int[] {k, k, s, s, p, p, d, d, 0, 0, weightsFormat};
    }
}
