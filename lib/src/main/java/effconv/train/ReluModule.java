package effconv.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Relu6;
import org.nd4j.linalg.factory.Nd4j;

import effconv.Activation;

/** ReLU (or ReLU6) with ND4J's native ops: the gradient passes where the input is inside the linear part. */
final class ReluModule extends Module {
    private final boolean six;
    private INDArray x;
    private INDArray out;
    private INDArray dx;

    ReluModule(String path, Activation spec) {
        super(path, spec);
        six = spec.kind() == Activation.Kind.RELU6;
    }

    @Override
    INDArray forward(INDArray input, boolean training) {
        if (!sameShape(out, input.shape())) {
            out = Floats.create(input.shape());
            dx = null; // made by the first backward pass
        }
        x = input;
        Nd4j.exec(six ? new Relu6(input, out, 0.0) : new RectifiedLinear(input, out, 0.0));
        return out;
    }

    @Override
    INDArray backward(INDArray dy) {
        if (dx == null) {
            dx = Floats.create(x.shape());
        }
        Nd4j.exec(DynamicCustomOp.builder(six ? "relu6_bp" : "relu_bp").addInputs(x, dy).addOutputs(dx)
                .addFloatingPointArguments(0.0).build());
        return dx;
    }

    @Override
    INDArray output() {
        return out;
    }
}
