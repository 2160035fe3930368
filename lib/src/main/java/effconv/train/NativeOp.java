package effconv.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One ND4J custom op (by name, with fixed integer and floating-point arguments) and its native context, made again
 * only when the arrays it reads or writes change. A module's arrays are the same objects on every batch of one
 * shape, so the op and its context are made once per shape: making them anew on every call left native garbage
 * that took a lesson kernel past its memory budget, and cost time.
 */
final class NativeOp {
    private final String name;
    private final long[] ints;
    private final double[] doubles;
    private INDArray[] inputs;
    private INDArray[] outputs;
    private DynamicCustomOp op;
    private OpContext context;

    NativeOp(String name, long[] ints, double... doubles) {
        this.name = name;
        this.ints = ints.clone();
        this.doubles = doubles.clone();
    }

    static NativeOp of(String name, int[] ints, double... doubles) {
        return new NativeOp(name, java.util.Arrays.stream(ints).asLongStream().toArray(), doubles);
    }

    /** Runs the op on these arrays (nulls, such as a missing bias, are left out). */
    void exec(INDArray[] in, INDArray[] out) {
        INDArray[] i = present(in);
        INDArray[] o = present(out);
        if (!same(i, inputs) || !same(o, outputs)) {
            if (context != null) {
                try {
                    context.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            op = DynamicCustomOp.builder(name).addInputs(i).addOutputs(o).build();
            context = Nd4j.getExecutioner().buildContext();
            context.setInputArrays(i);
            context.setOutputArrays(o);
            context.setIArguments(ints);
            context.setTArguments(doubles);
            inputs = i;
            outputs = o;
        }
        Nd4j.getExecutioner().exec(op, context);
    }

    private static INDArray[] present(INDArray[] a) {
        int n = 0;
        for (INDArray x : a) {
            n += x == null ? 0 : 1;
        }
        if (n == a.length) {
            return a.clone();
        }
        INDArray[] out = new INDArray[n];
        int k = 0;
        for (INDArray x : a) {
            if (x != null) {
                out[k++] = x;
            }
        }
        return out;
    }

    private static boolean same(INDArray[] a, INDArray[] b) {
        if (b == null || a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }
}
