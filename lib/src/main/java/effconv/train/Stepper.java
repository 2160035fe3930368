package effconv.train;

import effconv.runtime.Floats;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training step of a network — forward, softmax cross-entropy, backward, Adam's update — with the buffers it
 * reuses from step to step: what {@link Training} repeats over an epoch and {@code ./course bench} times.
 */
final class Stepper {
    private final Network network;
    private final Adam adam;
    private final int classes;
    private final float[] logits;
    private final float[] grad;
    private final INDArray gradArray;
    private final int[] correct = new int[1];

    Stepper(Network network, int classes) {
        this.network = network;
        this.classes = classes;
        this.logits = new float[Training.BATCH * classes];
        this.grad = new float[Training.BATCH * classes];
        this.gradArray = Floats.create(Training.BATCH, classes, 1, 1);
        this.adam = new Adam(network.params(), Training.LEARNING_RATE);
    }

    /** Trains on one batch of {@link Training#BATCH} images; returns the batch's mean loss. */
    double step(INDArray batch, int[] labels) {
        return step(batch, labels, Training.LEARNING_RATE);
    }

    /** The same, at learning rate {@code rate} (a schedule's rate for this step). */
    double step(INDArray batch, int[] labels, double rate) {
        network.forward(batch, true);
        Floats.read(network.classifier().logits(), logits);
        double loss = Loss.crossEntropy(logits, labels, Training.BATCH, classes, grad, correct);
        Floats.write(grad, gradArray);
        network.backwardParams(gradArray);
        adam.step(rate);
        return loss;
    }

    /** How many images of the last batch the network classified right (before its update). */
    int correct() {
        return correct[0];
    }
}
