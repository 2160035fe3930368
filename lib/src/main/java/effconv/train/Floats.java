package effconv.train;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between ND4J's off-heap arrays and Java float arrays. The small per-value layers (batch norm, ReLU,
 * shuffle, pooling, the loss, Adam) run as plain Java loops on the copies: one native op per elementwise step
 * costs more than the arithmetic at these sizes, and a loop can fuse several steps in one pass.
 */
final class Floats {
    private Floats() {
    }

    static INDArray zeros(long... shape) {
        return Nd4j.zeros(DataType.FLOAT, shape);
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

    /**
     * Copies channels [srcFrom, srcFrom + channels) of every sample of {@code src} ([n, Cs, H, W]) into channels
     * [dstFrom, …) of {@code dst} ([n, Cd, H, W]): one block copy per sample, since a sample's channel range is
     * contiguous in NCHW.
     */
    static void copyChannels(INDArray src, int srcFrom, INDArray dst, int dstFrom, int channels) {
        long n = src.size(0);
        long plane = src.size(2) * src.size(3) * Float.BYTES;
        long srcStride = src.size(1) * plane;
        long dstStride = dst.size(1) * plane;
        org.bytedeco.javacpp.BytePointer from = new org.bytedeco.javacpp.BytePointer(pointer(src));
        org.bytedeco.javacpp.BytePointer to = new org.bytedeco.javacpp.BytePointer(pointer(dst));
        for (long i = 0; i < n; i++) {
            from.position(i * srcStride + srcFrom * plane);
            to.position(i * dstStride + dstFrom * plane);
            org.bytedeco.javacpp.Pointer.memcpy(to, from, channels * plane);
        }
    }

    /** A float[] of at least n values, reusing {@code old} when it is big enough. */
    static float[] scratch(float[] old, long n) {
        return old != null && old.length >= n ? old : new float[Math.toIntExact(n)];
    }
}
