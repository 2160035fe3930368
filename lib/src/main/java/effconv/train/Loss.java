package effconv.train;

import effconv.layers.Check;
import effconv.runtime.Floats;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Softmax cross-entropy averaged over a batch, and its gradient with respect to the logits. */
public final class Loss {
    private Loss() {
    }

    /** A batch's mean loss, how many images the logits classified right, and dLoss/dLogits. */
    public record Result(double loss, int correct, INDArray gradient) {
    }

    /**
     * Softmax cross-entropy of the logits [n, classes] against the labels, averaged over the n images, and its
     * gradient (softmax − one-hot) / n, shaped as {@link Network#backward} takes it.
     */
    public static Result softmaxCrossEntropy(INDArray logits, int[] labels) {
        Check.notNull("logits", logits);
        Check.notNull("labels", labels);
        int n = (int) logits.size(0);
        if (labels.length != n) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries, which is not allowed: the "
                    + "logits have " + n + " rows (one label per image)");
        }
        int classes = (int) (logits.length() / n);
        float[] grad = new float[n * classes];
        int[] correct = new int[1];
        double loss = crossEntropy(Floats.read(logits), labels, n, classes, grad, correct);
        INDArray g = Floats.create(n, classes, 1, 1);
        Floats.write(grad, g);
        return new Result(loss, correct[0], g);
    }

    /**
     * Returns the mean loss; writes (softmax − one-hot)/n into {@code grad} and the number of correct guesses into
     * {@code correct[0]}.
     */
    static double crossEntropy(float[] logits, int[] labels, int n, int classes, float[] grad, int[] correct) {
        double total = 0;
        int right = 0;
        for (int i = 0; i < n; i++) {
            int o = i * classes;
            int best = 0;
            double max = logits[o];
            for (int k = 1; k < classes; k++) {
                if (logits[o + k] > max) {
                    max = logits[o + k];
                    best = k;
                }
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(logits[o + k] - max);
            }
            total += Math.log(sum) + max - logits[o + labels[i]];
            if (best == labels[i]) {
                right++;
            }
            if (grad != null) {
                for (int k = 0; k < classes; k++) {
                    double pk = Math.exp(logits[o + k] - max) / sum;
                    grad[o + k] = (float) ((pk - (k == labels[i] ? 1 : 0)) / n);
                }
            }
        }
        correct[0] = right;
        return total / n;
    }
}
