package effconv.runtime;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between ND4J's off-heap arrays and Java float arrays, for code that loops over a tensor in plain Java:
 * training's loss (a few hundred logits) and Adam, where one native op per elementwise step would cost more than the
 * arithmetic, and the analyses that read a trained network's activations.
 */
public final class Floats {
    private Floats() {
    }

    public static INDArray zeros(long... shape) {
        return Nd4j.zeros(DataType.FLOAT, shape);
    }

    /** A C-ordered float array of this shape, contents undefined. */
    public static INDArray create(long... shape) {
        return Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
    }

    public static void read(INDArray from, float[] to) {
        pointer(from).get(to, 0, (int) from.length());
    }

    public static float[] read(INDArray from) {
        float[] a = new float[(int) from.length()];
        read(from, a);
        return a;
    }

    public static void write(float[] from, INDArray to) {
        pointer(to).put(from, 0, (int) to.length());
    }

    private static FloatPointer pointer(INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.ordering() != 'c' || a.offset() != 0 || a.elementWiseStride() != 1) {
            throw new IllegalStateException("internal: expected a whole C-ordered float array, got " + a.shapeInfoToString());
        }
        return new FloatPointer(a.data().addressPointer());
    }

    /** A float[] of at least n values, reusing {@code old} when it is big enough. */
    public static float[] scratch(float[] old, long n) {
        return old != null && old.length >= n ? old : new float[Math.toIntExact(n)];
    }
}
