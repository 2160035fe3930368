package effconv.nd;

import effconv.layers.Shape;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one leaf layer does on ND4J once it knows its input shape: everything that depends on the shape (op
 * objects, reshaped views, buffers) is prepared once, and each run only computes.
 */
interface LeafOp {
    Step prepare(Shape in, INDArray out);

    /** One run of a prepared leaf: reads x, writes the output buffer it was prepared with. */
    interface Step {
        void run(INDArray x);
    }
}
