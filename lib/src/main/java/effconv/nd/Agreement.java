package effconv.nd;

import effconv.layers.Format;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether two float computations of the same values agree, against a tolerance the lesson states and explains —
 * never their largest difference as a raw last digit: that digit depends on the order in which the CPU's kernels
 * add (OpenBLAS and oneDNN pick their kernels by CPU), so another machine prints another one.
 *
 * @param largest   the largest |a − b| over all elements (for tests and for a lesson that wants the number)
 * @param tolerance the bound the two must stay under
 */
public record Agreement(double largest, double tolerance) {

    public Agreement {
        if (!(tolerance > 0 && Double.isFinite(tolerance))) {
            throw new IllegalArgumentException("tolerance = " + tolerance + " is not allowed: it must be a positive number");
        }
    }

    /** Compares {@code a} with {@code b}, which must have one shape, element by element. */
    public static Agreement of(INDArray a, INDArray b, double tolerance) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("the two arrays' shapes, " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + ", are not allowed: they must be equal to compare element by element");
        }
        return new Agreement(a.sub(b).amaxNumber().doubleValue(), tolerance);
    }

    /** True when every element differs by less than the tolerance. */
    public boolean holds() {
        return largest < tolerance;
    }

    /**
     * "agree to within 1e-6 (float rounding: the largest difference here is below it)", or, when they do not, the
     * difference that breaks it — a real disagreement, which a test comparing the saved lesson then catches.
     */
    @Override
    public String toString() {
        String bound = Format.scientific(tolerance);
        return holds()
                ? "agree to within " + bound + " (float rounding: the largest difference here is below it)"
                : "DIFFER by more than float rounding: the largest difference is " + Format.scientific(largest)
                        + ", over " + bound;
    }
}
