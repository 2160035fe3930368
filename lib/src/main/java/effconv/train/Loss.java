package effconv.train;

/** Softmax cross-entropy averaged over a batch, and its gradient with respect to the logits. */
final class Loss {
    private Loss() {
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
