package effconv.experiments;

import effconv.layers.Check;
import java.util.Locale;

/**
 * A mean over seeds with its standard error (the seeds' sample standard deviation ÷ √n): how the training lessons
 * report an accuracy or a difference, and the one place that formula lives. A difference beyond 2 SE is called an
 * effect; one within is called noise.
 */
public record Estimate(double mean, double standardError, int n) {

    /** The mean of the values and its standard error; at least two values (one gives no spread). */
    public static Estimate of(double... values) {
        Check.notNull("values", values);
        if (values.length < 2) {
            throw new IllegalArgumentException("values has " + values.length + " entries, which is not allowed: a "
                    + "standard error needs at least 2 (seeds)");
        }
        double mean = 0;
        for (double v : values) {
            mean += v / values.length;
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new Estimate(mean, Math.sqrt(ss / (values.length - 1) / values.length), values.length);
    }

    /**
     * a[i] − b[i], paired (the same seed gave both the same starting weights and order of images), as one estimate:
     * pairing removes what the seed does to both, so its standard error is smaller than the two means' together.
     */
    public static Estimate pairedDifference(double[] a, double[] b) {
        Check.notNull("a", a);
        Check.notNull("b", b);
        if (a.length != b.length) {
            throw new IllegalArgumentException("b has " + b.length + " values, which is not allowed: a has "
                    + a.length + " (one per seed, paired)");
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return of(d);
    }

    /**
     * a − b for two independent estimates (different networks, each over its own seeds): the standard errors add in
     * quadrature. Use {@link #pairedDifference} when the same seeds gave both runs something in common.
     */
    public static Estimate difference(Estimate a, Estimate b) {
        Check.notNull("a", a);
        Check.notNull("b", b);
        return new Estimate(a.mean - b.mean, Math.hypot(a.standardError, b.standardError), Math.min(a.n, b.n));
    }

    /** The estimate times k (fractions to percent: 100). */
    public Estimate times(double k) {
        return new Estimate(mean * k, standardError * Math.abs(k), n);
    }

    /** |mean| in standard errors (infinite when the seeds agree exactly on a nonzero mean, 0 for an exact 0). */
    public double inStandardErrors() {
        if (standardError > 0) {
            return Math.abs(mean) / standardError;
        }
        return mean == 0 ? 0 : Double.POSITIVE_INFINITY;
    }

    public boolean beyondTwoStandardErrors() {
        return inStandardErrors() > 2;
    }

    /** "beyond 2 SE (4.1 SE): {ifPositive}" or "…: {ifNegative}", or "within 2 SE: noise". */
    public String verdict(String ifPositive, String ifNegative) {
        if (!beyondTwoStandardErrors()) {
            return "within 2 SE: noise";
        }
        return String.format(Locale.ROOT, "beyond 2 SE (%.1f SE): %s", inStandardErrors(),
                mean > 0 ? ifPositive : ifNegative);
    }

    /** "+1.23 ± 0.45" with the given decimals. */
    public String plusMinus(int decimals) {
        return String.format(Locale.ROOT, "%+." + decimals + "f ± %." + decimals + "f", mean, standardError);
    }
}
