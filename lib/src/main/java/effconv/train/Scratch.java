package effconv.train;

/**
 * Two float arrays that the layers of one network borrow in turn (they run one at a time), grown to the largest
 * batch seen: one set per network instead of one per layer.
 */
final class Scratch {
    private float[] a;
    private float[] b;

    float[] a(long n) {
        a = Floats.scratch(a, n);
        return a;
    }

    float[] b(long n) {
        b = Floats.scratch(b, n);
        return b;
    }
}
