package effconv.lower;

import effconv.layers.BatchNorm;

/**
 * Batch norm at inference is a per-channel affine map, y = x·scale + shift with scale = γ/√(σ² + ε) and
 * shift = β − μ·scale. The one place for the fused engine's folding of it into the convolution before it
 * ({@link #fold}), computed in double so that each folded weight is rounded once, to float. The reference engine
 * computes the map its own way, in float step by step as PyTorch does, so that comparing the two checks this.
 */
public final class ScaleShift {
    private final double[] scale;
    private final float[] mean;
    private final float[] beta;

    private ScaleShift(double[] scale, float[] mean, float[] beta) {
        this.scale = scale;
        this.mean = mean;
        this.beta = beta;
    }

    /** From batch norm's four tensors, each [C]. */
    public static ScaleShift of(float[] gamma, float[] beta, float[] mean, float[] var) {
        double[] scale = new double[gamma.length];
        for (int c = 0; c < scale.length; c++) {
            scale[c] = gamma[c] / Math.sqrt(var[c] + BatchNorm.EPS);
        }
        return new ScaleShift(scale, mean.clone(), beta.clone());
    }

    public float[] scale() {
        float[] s = new float[scale.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = (float) scale[c];
        }
        return s;
    }

    public float[] shift() {
        return fold(null, null)[1];
    }

    /**
     * The convolution before the batch norm with the norm folded in: weights [out, …] scaled per output channel,
     * w' = w·scale, and bias b' = (b − μ)·scale + β (b null: no bias, b = 0). {@code w} null: the weights of a 1×1
     * depthwise convolution that is the norm alone (all ones before folding). Returns {w', b'}.
     */
    public float[][] fold(float[] w, float[] b) {
        int out = scale.length;
        float[] fw = w == null ? scale() : new float[w.length];
        if (w != null) {
            int per = w.length / out;
            for (int o = 0; o < out; o++) {
                for (int k = 0; k < per; k++) {
                    fw[o * per + k] = (float) (w[o * per + k] * scale[o]);
                }
            }
        }
        float[] fb = new float[out];
        for (int o = 0; o < out; o++) {
            fb[o] = (float) (((b == null ? 0 : b[o]) - mean[o]) * scale[o] + beta[o]);
        }
        return new float[][] {fw, fb};
    }
}
