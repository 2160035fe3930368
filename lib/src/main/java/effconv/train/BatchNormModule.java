package effconv.train;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_global_stats;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_scale;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_shift;

import effconv.layers.BatchNorm;
import effconv.runtime.Dnnl;
import effconv.runtime.Floats;
import java.util.List;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * Batch normalisation as PyTorch trains it: in training, each channel is normalised with the batch's mean and
 * (biased) variance, and running estimates are updated with momentum 0.1 (the variance unbiased); in evaluation the
 * running estimates are used. γ starts at 1, β at 0. The backward pass with batch statistics is
 * dx = γ/σ·(dy − mean(dy) − x̂·mean(dy·x̂)), x̂ = (x − μ)/σ, since μ and σ depend on x too.
 *
 * <p>Each pass is one oneDNN primitive; the running estimates (a few numbers per channel) are updated here, from the
 * batch's mean and variance the forward primitive returns.
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

    private final INDArray mean;     // the batch's, written by the forward primitive in training
    private final INDArray variance;
    private final INDArray fixedMean; // the running estimates as floats, read in evaluation
    private final INDArray fixedVariance;
    private INDArray out;
    private INDArray dx;
    private long[] built;
    /** [0]: with the batch's statistics (training); [1]: with the running ones (evaluation). */
    private final Mode[] modes = new Mode[2];
    private Mode last;

    /** The primitives of one mode and the memories they read from arrays the module does not own. */
    private static final class Mode {
        memory src;
        memory diffDst;
        Primitives.Call forward;
        Primitives.Call backward;
        batch_normalization_backward.primitive_desc backwardPd;
        IntMemoryMap backwardArgs;
    }

    BatchNormModule(String path, BatchNorm spec) {
        super(path, spec);
        channels = spec.channels();
        gamma = Floats.create(channels).assign(1);
        beta = Floats.zeros(channels);
        gGamma = Floats.zeros(channels);
        gBeta = Floats.zeros(channels);
        runningMean = new double[channels];
        runningVar = new double[channels];
        java.util.Arrays.fill(runningVar, 1);
        mean = Floats.zeros(channels);
        variance = Floats.zeros(channels);
        fixedMean = Floats.zeros(channels);
        fixedVariance = Floats.zeros(channels);
    }

    @Override
    List<Param> params() {
        return Param.weightAndBias(path, gamma, gGamma, beta, gBeta);
    }

    @Override
    INDArray forward(INDArray input, boolean training) {
        if (!java.util.Arrays.equals(built, Primitives.dims(input))) {
            out = Primitives.create(Primitives.dims(input));
            dx = null; // made by the first backward pass
            modes[0] = null;
            modes[1] = null;
            hold(true);
            built = Primitives.dims(input);
        }
        int m = training ? 0 : 1;
        if (modes[m] == null) {
            modes[m] = build(built, training);
        }
        last = modes[m];
        if (!training) {
            float[] rm = new float[channels];
            float[] rv = new float[channels];
            for (int c = 0; c < channels; c++) {
                rm[c] = (float) runningMean[c];
                rv[c] = (float) runningVar[c];
            }
            Floats.write(rm, fixedMean);
            Floats.write(rv, fixedVariance);
        }
        Primitives.point(last.src, input);
        last.forward.run();
        if (training) {
            float[] bm = Floats.read(mean);
            float[] bv = Floats.read(variance);
            long count = input.length() / channels;
            for (int c = 0; c < channels; c++) {
                runningMean[c] = (1 - MOMENTUM) * runningMean[c] + MOMENTUM * bm[c];
                runningVar[c] = (1 - MOMENTUM) * runningVar[c] + MOMENTUM * bv[c] * count / Math.max(1, count - 1);
            }
        }
        return out;
    }

    private Mode build(long[] shape, boolean training) {
        Mode m = new Mode();
        memory.desc data = Primitives.act(shape);
        memory.desc vec = Primitives.plain(channels);
        int flags = dnnl_use_scale | dnnl_use_shift | (training ? 0 : dnnl_use_global_stats);
        float eps = (float) BatchNorm.EPS;
        batch_normalization_forward.desc fd =
                new batch_normalization_forward.desc(prop_kind.forward_training.value, data, eps, flags);
        batch_normalization_forward.primitive_desc fpd = new batch_normalization_forward.primitive_desc(fd, Dnnl.engine());
        m.src = Primitives.unbound(data);
        memory dst = Primitives.over(out, data);
        memory scale = Primitives.over(gamma, vec);
        memory shift = Primitives.over(beta, vec);
        memory mu = Primitives.over(training ? mean : fixedMean, vec);
        memory var = Primitives.over(training ? variance : fixedVariance, vec);
        IntMemoryMap fa = new IntMemoryMap().put(DNNL_ARG_SRC, m.src).put(DNNL_ARG_DST, dst).put(DNNL_ARG_SCALE, scale)
                .put(DNNL_ARG_SHIFT, shift).put(DNNL_ARG_MEAN, mu).put(DNNL_ARG_VARIANCE, var);
        m.forward = Primitives.Call.of(fpd, new batch_normalization_forward(fpd), fa);
        batch_normalization_backward.desc bd =
                new batch_normalization_backward.desc(prop_kind.backward.value, data, data, eps, flags);
        m.backwardPd = new batch_normalization_backward.primitive_desc(bd, Dnnl.engine(), fpd);
        m.diffDst = Primitives.unbound(data);
        m.backwardArgs = new IntMemoryMap().put(DNNL_ARG_SRC, m.src).put(DNNL_ARG_MEAN, mu).put(DNNL_ARG_VARIANCE, var)
                .put(DNNL_ARG_DIFF_DST, m.diffDst).put(DNNL_ARG_SCALE, scale).put(DNNL_ARG_SHIFT, shift)
                .put(DNNL_ARG_DIFF_SCALE, Primitives.over(gGamma, vec)).put(DNNL_ARG_DIFF_SHIFT, Primitives.over(gBeta, vec));
        hold(false, fd, fpd, bd, data, vec, dst, scale, shift, mu, var, fa);
        return m;
    }

    @Override
    INDArray backward(INDArray dy) {
        Mode m = last;
        if (dx == null) {
            dx = Primitives.create(built);
        }
        if (m.backward == null) { // made by the first backward pass in this mode
            memory diffSrc = Primitives.over(dx, Primitives.act(built));
            m.backwardArgs.put(DNNL_ARG_DIFF_SRC, diffSrc);
            m.backward = Primitives.Call.of(m.backwardPd, new batch_normalization_backward(m.backwardPd), m.backwardArgs);
            hold(false, diffSrc);
        }
        Primitives.point(m.diffDst, dy);
        m.backward.run();
        return dx;
    }

    @Override
    INDArray output() {
        return out;
    }
}
