package effconv.train;

import effconv.layers.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;


/** ReLU (or ReLU6) with ND4J's native ops: the gradient passes where the input is inside the linear part. */
final class ReluModule extends Module {
    private final boolean six;
    private final NativeOp forwardOp;
    private final NativeOp backwardOp;
    private INDArray x;
    private INDArray out;
    private INDArray dx;

    ReluModule(String path, Activation spec) {
        super(path, spec);
        six = spec.kind() == Activation.Kind.RELU6;
        forwardOp = NativeOp.of(six ? "relu6" : "relu", new int[0], 0.0);
        backwardOp = NativeOp.of(six ? "relu6_bp" : "relu_bp", new int[0], 0.0);
    }

    @Override
    INDArray forward(INDArray input, boolean training) {
        if (!sameShape(out, input.shape())) {
            out = Floats.create(input.shape());
            dx = null; // made by the first backward pass
        }
        x = input;
        forwardOp.exec(new INDArray[] {input}, new INDArray[] {out});
        return out;
    }

    @Override
    INDArray backward(INDArray dy) {
        if (dx == null) {
            dx = Floats.create(x.shape());
        }
        if (six) {
            backwardOp.exec(new INDArray[] {x, dy}, new INDArray[] {dx});
        } else {
            // dy where x > 0: a step mask and a product, two passes that ND4J vectorises; its relu_bp op took 4-8× as long
            Nd4j.exec(new Step(x, dx, 0.0));
            Nd4j.exec(new MulOp(dy, dx, dx));
        }
        return dx;
    }

    @Override
    INDArray output() {
        return out;
    }
}
