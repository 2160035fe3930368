package effconv.train;

import effconv.layers.Check;
import effconv.layers.Layer;
import effconv.layers.Shape;
import effconv.models.Model;
import effconv.runtime.Floats;
import effconv.runtime.MemoryGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * Trains a {@link TinyNet} on the course's Fashion-MNIST subset with Adam (learning rate 0.002, batches of 64) and
 * reports test accuracy on Fashion-MNIST's 10,000 test images after every epoch. With {@link #decay(int)} the rate
 * falls linearly to zero over the last epochs, step by step. Everything random — weights, the order of the
 * images in each epoch — comes from the seed, so a run repeats exactly on the same machine.
 *
 * <pre>{@code TrainResult r = Training.of(TinyNet.shuffleNet(4)).epochs(2).seed(1).run();}</pre>
 */
public final class Training {
    public static final int BATCH = 64;
    public static final double LEARNING_RATE = 2e-3;
    // evaluation needs no gradients, so its batch could be larger; 50 (a divisor of the 10,000 test images) keeps
    // a lesson kernel's buffers small
    public static final int EVAL_BATCH = 50;

    private final TinyNet net;
    private int epochs = 3;
    private int trainImages = FashionMnist.TRAIN_SIZE;
    private long seed = 1;
    private int decay;
    private Progress progress;

    private Training(TinyNet net) {
        this.net = net;
    }

    public static Training of(TinyNet net) {
        return new Training(Check.notNull("net", net));
    }

    public Training epochs(int e) {
        Check.positive("epochs", e);
        epochs = Check.atMost("epochs", e, 100, "a hundred epochs of this data is far past where accuracy stops rising");
        return this;
    }

    /** Train on the first n images of the subset (64 … 12,000). */
    public Training trainImages(int n) {
        Check.atMost("train", n, FashionMnist.TRAIN_SIZE, "the course's training subset has " + FashionMnist.TRAIN_SIZE
                + " images");
        if (n < BATCH) {
            throw new IllegalArgumentException("train = " + n + " is not allowed: it must be at least one batch, "
                    + BATCH + " images");
        }
        trainImages = n;
        return this;
    }

    /**
     * Lower the learning rate linearly to zero over the last {@code lastEpochs} epochs (0, the default: keep it
     * constant). A constant rate keeps Adam's steps large to the end, so the last epoch's weights — and batch norm's
     * running statistics — land wherever the last batches pushed them; the decay lets them settle.
     */
    public Training decay(int lastEpochs) {
        if (lastEpochs < 0) {
            throw new IllegalArgumentException("decay = " + lastEpochs + " is not allowed: the epochs over which the "
                    + "learning rate falls to zero, 0 (constant) or more");
        }
        decay = lastEpochs;
        return this;
    }

    public Training seed(long s) {
        seed = s;
        return this;
    }

    public Training progress(Progress p) {
        progress = Check.notNull("progress", p);
        return this;
    }

    public TrainResult run() {
        if (decay > epochs) {
            throw new IllegalArgumentException("decay = " + decay + " is not allowed: at most the " + epochs
                    + " epoch" + (epochs == 1 ? "" : "s") + " trained");
        }
        Model model = net.model();
        checkMemory(model);
        Network network = Network.of(model, seed);
        Images test = net.prepare(FashionMnist.test());
        List<TrainResult.Epoch> history = fit(network, net.prepare(FashionMnist.train(trainImages)), test, epochs, decay, seed,
                progress != null ? progress : Progress.standard(), net.label());
        TrainResult.Epoch last = history.get(history.size() - 1);
        double seconds = history.stream().mapToDouble(TrainResult.Epoch::seconds).sum();
        return new TrainResult(net, seed, epochs, decay, trainImages, test.size(), model.params(), model.macs(),
                last.testAccuracy(), seconds / epochs, history, network);
    }

    /**
     * Trains {@code net}, from weights drawn from {@code seed}, on {@code train} with the one loop (a constant
     * learning rate) and returns its accuracy on {@code test} after each epoch: any chain and any pictures it takes,
     * such as a task a lesson makes.
     */
    public static List<TrainResult.Epoch> fit(Model net, Images train, Images test, int epochs, long seed,
                                              Progress progress) {
        Check.notNull("net", net);
        if (!net.input().equals(train.shape()) || !net.input().equals(test.shape())) {
            throw new IllegalArgumentException("net input " + net.input() + " is not allowed with pictures of "
                    + train.shape() + " and " + test.shape() + ": build the net for the pictures' side");
        }
        Check.positive("epochs", epochs);
        checkMemory(net);
        return fit(Network.of(net, seed), train, test, epochs, 0, seed, Check.notNull("progress", progress),
                net.name());
    }

    /**
     * The training loop: {@code epochs} passes over {@code train} in an order drawn from the seed, one Adam step per
     * batch of 64 (the last partial batch dropped, as PyTorch's drop_last does), the test accuracy after each pass;
     * over the last {@code decay} epochs the learning rate falls linearly, step by step, towards zero.
     */
    static List<TrainResult.Epoch> fit(Network network, Images train, Images test, int epochs, int decay, long seed,
                                       Progress show, String label) {
        network.classifier();
        Stepper stepper = new Stepper(network, train.classes());
        int steps = train.size() / BATCH;
        show.start(label + ", seed " + seed + ", " + train.size() + " images", epochs, steps);
        List<TrainResult.Epoch> history = new ArrayList<>();
        Shape picture = train.shape();
        INDArray batch = Floats.create(BATCH, picture.channels(), picture.height(), picture.width());
        float[] pixels = new float[(int) batch.length()];
        int[] labels = new int[BATCH];
        try {
            for (int e = 1; e <= epochs; e++) {
                int[] order = order(train.size(), seed, e);
                long t0 = System.nanoTime();
                double lossSum = 0;
                int right = 0;
                for (int s = 0; s < steps; s++) {
                    train.copy(order, s * BATCH, BATCH, pixels, labels);
                    Floats.write(pixels, batch);
                    lossSum += stepper.step(batch, labels, rate((e - 1) * steps + s, epochs * steps, decay * steps));
                    right += stepper.correct();
                    show.step(e, s + 1, lossSum / (s + 1), (double) right / ((s + 1) * BATCH));
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                TrainResult.Epoch ep = new TrainResult.Epoch(e, lossSum / steps, (double) right / (steps * BATCH),
                        accuracy(network, test), seconds);
                history.add(ep);
                show.epoch(ep);
                // the buffers of the other batch shape are garbage now; ND4J frees their native memory only when the
                // Java objects are collected, and small objects put no pressure on the heap: collect now, so a
                // lesson's kernel does not grow by them epoch after epoch
                System.gc();
            }
        } finally {
            show.finish();
        }
        return history;
    }

    /**
     * One training step — forward, loss, backward and Adam's update on one batch of 64 training images — as a
     * repeatable action for timing ({@code ./course bench}'s training case). The network keeps learning from the
     * same batch, which leaves the cost of a step unchanged.
     */
    public static Runnable step(TinyNet net, long seed) {
        Images train = FashionMnist.train(BATCH);
        Stepper stepper = new Stepper(Network.of(net.model(), seed), train.classes());
        INDArray batch = Floats.create(BATCH, 1, FashionMnist.SIDE, FashionMnist.SIDE);
        float[] pixels = new float[(int) batch.length()];
        int[] labels = new int[BATCH];
        train.copy(permutation(BATCH, new Random(seed)), 0, BATCH, pixels, labels);
        Floats.write(pixels, batch);
        return () -> stepper.step(batch, labels);
    }

    /**
     * The learning rate at step {@code step} (0, 1, …) of {@code total}: {@link #LEARNING_RATE} until the last
     * {@code decaying} steps, then falling linearly, so the last step takes 1/decaying of it.
     */
    public static double rate(int step, int total, int decaying) {
        int left = total - step; // this step and those after it
        return left >= decaying ? LEARNING_RATE : LEARNING_RATE * left / decaying;
    }

    /** Accuracy of the network (in evaluation mode: batch norm with its running statistics) on these images. */
    public static double accuracy(Network network, Images images) {
        int n = images.size();
        int right = 0;
        int[] correct = new int[1];
        for (int s = 0; s < n; s += EVAL_BATCH) {
            int b = Math.min(EVAL_BATCH, n - s);
            int[] labels = new int[b];
            network.forward(images.batch(s, b, labels), false);
            Loss.crossEntropy(Floats.read(network.classifier().logits()), labels, b, images.classes(), null, correct);
            right += correct[0];
        }
        return (double) right / n;
    }

    /** The order of n training images in epoch e (1, 2, …), drawn from the seed: the loop's shuffling. */
    public static int[] order(int n, long seed, int epoch) {
        Check.positive("n", n);
        Check.positive("epoch", epoch);
        return permutation(n, new Random(seed * 1_000_003L + epoch));
    }

    static int[] permutation(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Activations, their gradients and the modules' copies for the larger of a training and a test batch. */
    static void checkMemory(Model model) {
        long values = 0;
        for (Layer.Leaf leaf : model.body().leaves(model.input())) {
            values += leaf.output().numel();
        }
        long bytes = MemoryGuard.floatBytes(values, Math.max(4L * BATCH, 2L * EVAL_BATCH));
        MemoryGuard.check("training " + model.name(), bytes);
    }
}
