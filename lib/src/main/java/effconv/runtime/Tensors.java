package effconv.runtime;

import effconv.layers.Check;
import effconv.layers.Shape;
import effconv.lower.Weight;
import java.util.SplittableRandom;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded tensors: the same seed gives the same numbers on every run and every machine. */
public final class Tensors {
    private Tensors() {
    }

    /** One sample, shape [1, C, H, W], uniform in [-1, 1). */
    public static INDArray random(Shape shape, long seed) {
        Check.notNull("shape", shape);
        return uniform(shape.withBatch(1), 1.0, seed);
    }

    /**
     * Uniform in [-bound, bound), from our own generator so ND4J's RNG state never matters. Written straight into
     * ND4J's off-heap buffer in chunks, so a large tensor never needs the same again on the Java heap.
     */
    public static INDArray uniform(long[] shape, double bound, long seed) {
        return random(shape, new Weight.Uniform(bound), seed);
    }

    /** A tensor drawn as {@code init} says (see {@link Weight.Init}), from one seeded generator in row-major order. */
    public static INDArray random(long[] shape, Weight.Init init, long seed) {
        Check.notNull("init", init);
        Check.notNull("shape", shape);
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 1) {
                throw new IllegalArgumentException("shape[" + i + "] = " + shape[i] + " is not allowed: every "
                        + "dimension must be at least 1");
            }
        }
        long bytes = MemoryGuard.floatBytes(shape);
        MemoryGuard.check("a tensor of shape " + java.util.Arrays.toString(shape), bytes);
        long n = bytes / Float.BYTES;
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        FloatPointer target = new FloatPointer(out.data().addressPointer());
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] chunk = new float[(int) Math.min(n, 1 << 16)];
        for (long done = 0; done < n; done += chunk.length) {
            int len = (int) Math.min(chunk.length, n - done);
            for (int i = 0; i < len; i++) {
                chunk[i] = init.draw(rnd.nextDouble());
            }
            target.position(done).put(chunk, 0, len);
        }
        return out;
    }

    /** The shape of an ND4J activation [1, C, H, W] as a {@link Shape}. */
    public static Shape shapeOf(INDArray x) {
        Check.notNull("x", x);
        if (x.rank() != 4 || x.size(0) != 1) {
            throw new IllegalArgumentException("x has shape " + java.util.Arrays.toString(x.shape())
                    + ", which is not allowed: expected one sample, [1, C, H, W]");
        }
        return Shape.of((int) x.size(1), (int) x.size(2), (int) x.size(3));
    }
}
