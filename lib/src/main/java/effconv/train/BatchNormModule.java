package effconv.train;

import effconv.layers.BatchNorm;
import java.util.List;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * Batch normalisation as PyTorch trains it: in training, each channel is normalised with the batch's mean and
 * (biased) variance, and running estimates are updated with momentum 0.1 (the variance unbiased); in evaluation the
 * running estimates are used. γ starts at 1, β at 0. The backward pass with batch statistics is
 * dx = γ/σ·(dy − mean(dy) − x̂·mean(dy·x̂)), x̂ = (x − μ)/σ, since μ and σ depend on x too.
 *
 * <p>Plain Java loops over a copy of the batch, channel by channel (the channels shared between threads): measured
 * 2-3× faster here than ND4J's reductions and oneDNN's 1×1 depthwise ops, which reorder the tensor on every call.
 * Sums are taken in double within a channel, so the result does not depend on the threads. The copies live in the
 * network's {@link Scratch}, shared by all its batch norm layers, which run one at a time.
 */
final class BatchNormModule extends Module {
    static final double MOMENTUM = 0.1;

    final int channels;
    final INDArray gamma;
    final INDArray beta;
    final INDArray gGamma;
    final INDArray gBeta;
    final double[] runningMean;
    final double[] runningVar;

    private final double[] mean;
    private final double[] invStd;
    private final Scratch scratch;
    private INDArray input;
    private INDArray out;
    private INDArray dx;
    private boolean batchStatistics;

    BatchNormModule(String path, BatchNorm spec, Scratch scratch) {
        super(path, spec);
        this.scratch = scratch;
        channels = spec.channels();
        gamma = Floats.create(channels).assign(1);
        beta = Floats.zeros(channels);
        gGamma = Floats.zeros(channels);
        gBeta = Floats.zeros(channels);
        runningMean = new double[channels];
        runningVar = new double[channels];
        java.util.Arrays.fill(runningVar, 1);
        mean = new double[channels];
        invStd = new double[channels];
    }

    @Override
    List<Param> params() {
        return List.of(new Param(path + ".weight", gamma, gGamma), new Param(path + ".bias", beta, gBeta));
    }

    @Override
    INDArray forward(INDArray input, boolean training) {
        long size = input.length();
        if (!sameShape(out, input.shape())) {
            out = Floats.create(input.shape());
            dx = null; // made by the first backward pass
        }
        this.input = input;
        float[] x = scratch.a(size);
        float[] y = scratch.b(size);
        Floats.read(input, x);
        int n = (int) input.size(0);
        int plane = (int) (input.size(2) * input.size(3));
        float[] g = Floats.read(gamma);
        float[] b = Floats.read(beta);
        float[] xs = x;
        float[] ys = y;
        batchStatistics = training;
        IntStream.range(0, channels).parallel().forEach(c -> {
            double m;
            double v;
            if (training) {
                double s = 0;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    int o = (i * channels + c) * plane;
                    float s0 = 0;
                    float ss0 = 0;
                    for (int j = 0; j < plane; j++) {
                        float t = xs[o + j];
                        s0 += t;
                        ss0 += t * t;
                    }
                    s += s0;
                    ss += ss0;
                }
                long count = (long) n * plane;
                m = s / count;
                v = Math.max(0, ss / count - m * m);
                runningMean[c] = (1 - MOMENTUM) * runningMean[c] + MOMENTUM * m;
                runningVar[c] = (1 - MOMENTUM) * runningVar[c] + MOMENTUM * v * count / Math.max(1, count - 1);
            } else {
                m = runningMean[c];
                v = runningVar[c];
            }
            mean[c] = m;
            invStd[c] = 1 / Math.sqrt(v + BatchNorm.EPS);
            float scale = (float) (g[c] * invStd[c]);
            float shift = (float) (b[c] - m * g[c] * invStd[c]);
            for (int i = 0; i < n; i++) {
                int o = (i * channels + c) * plane;
                for (int j = 0; j < plane; j++) {
                    ys[o + j] = xs[o + j] * scale + shift;
                }
            }
        });
        Floats.write(ys, out);
        return out;
    }

    @Override
    INDArray backward(INDArray dyArray) {
        if (dx == null) {
            dx = Floats.create(dyArray.shape());
        }
        // x is read again from the input, which the layer before keeps until the next forward pass
        float[] x = scratch.a(dyArray.length());
        float[] d = scratch.b(dyArray.length());
        Floats.read(input, x);
        Floats.read(dyArray, d);
        int n = (int) dyArray.size(0);
        int plane = (int) (dyArray.size(2) * dyArray.size(3));
        float[] g = Floats.read(gamma);
        float[] dg = new float[channels];
        float[] db = new float[channels];
        float[] xs = x;
        float[] ds = d;
        IntStream.range(0, channels).parallel().forEach(c -> {
            double sdy = 0;
            double sdx = 0;
            float m = (float) mean[c];
            for (int i = 0; i < n; i++) {
                int o = (i * channels + c) * plane;
                float a0 = 0;
                float b0 = 0;
                for (int j = 0; j < plane; j++) {
                    a0 += ds[o + j];
                    b0 += ds[o + j] * (xs[o + j] - m);
                }
                sdy += a0;
                sdx += b0;
            }
            double is = invStd[c];
            double sdyXhat = sdx * is;
            dg[c] = (float) sdyXhat;
            db[c] = (float) sdy;
            long count = (long) n * plane;
            float a = (float) (g[c] * is);
            float meanDy = batchStatistics ? (float) (sdy / count) : 0f;
            float k = batchStatistics ? (float) (sdyXhat / count * is) : 0f;
            for (int i = 0; i < n; i++) {
                int o = (i * channels + c) * plane;
                for (int j = 0; j < plane; j++) {
                    ds[o + j] = a * (ds[o + j] - meanDy - (xs[o + j] - m) * k);
                }
            }
        });
        Floats.write(dg, gGamma);
        Floats.write(db, gBeta);
        Floats.write(ds, dx);
        return dx;
    }

    @Override
    INDArray output() {
        return out;
    }
}
