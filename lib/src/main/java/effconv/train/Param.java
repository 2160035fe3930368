package effconv.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A learnable array, its gradient from the last backward pass, and where it sits ("u1/conv1.weight"). */
record Param(String name, INDArray value, INDArray grad) {
}
