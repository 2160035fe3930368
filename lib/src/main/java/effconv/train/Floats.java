package effconv.train;

import effconv.lower.Weight;
import java.util.Random;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between ND4J's off-heap arrays and Java float arrays: the loss (a few hundred logits) and Adam run as
 * plain Java loops on the copies, where one native op per elementwise step would cost more than the arithmetic.
 */
final class Floats {
    private Floats() {
    }

    static INDArray zeros(long... shape) {
        return Nd4j.zeros(DataType.FLOAT, shape);
    }

    /** A weight's initial values, drawn as the lowering says ({@link Weight.Init}) from {@code r}, in row-major order. */
    static INDArray draw(Random r, Weight weight) {
        INDArray a = create(weight.shape());
        float[] v = new float[(int) a.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = weight.init().draw(r.nextDouble());
        }
        write(v, a);
        return a;
    }

    /** A C-ordered float array of this shape, contents undefined. */
    static INDArray create(long... shape) {
        return Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
    }

    static void read(INDArray from, float[] to) {
        pointer(from).get(to, 0, (int) from.length());
    }

    static float[] read(INDArray from) {
        float[] a = new float[(int) from.length()];
        read(from, a);
        return a;
    }

    static void write(float[] from, INDArray to) {
        pointer(to).put(from, 0, (int) to.length());
    }

    private static FloatPointer pointer(INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.ordering() != 'c' || a.offset() != 0 || a.elementWiseStride() != 1) {
            throw new IllegalStateException("internal: expected a whole C-ordered float array, got " + a.shapeInfoToString());
        }
        return new FloatPointer(a.data().addressPointer());
    }

    /** A float[] of at least n values, reusing {@code old} when it is big enough. */
    static float[] scratch(float[] old, long n) {
        return old != null && old.length >= n ? old : new float[Math.toIntExact(n)];
    }
}
