package effconv.experiments;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.ChannelShuffle;
import effconv.layers.Check;
import effconv.layers.Conv2d;
import effconv.layers.FullyConnected;
import effconv.layers.GlobalAvgPool;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.models.Model;
import effconv.train.Images;
import effconv.train.Progress;
import effconv.train.TrainResult;
import effconv.train.Training;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A task made so that channel groups must exchange information, to show <em>when</em> the channel shuffle matters.
 *
 * <p>Each picture has two channels and one small square pattern in each: A in channel 0, B in channel 1. The label
 * is 1 when the two squares sit at the same place and 0 when they do not, half of the pictures each. {@link #net}
 * is a small grouped network whose stem sends channel A to the first half of its channels and B to the second.
 *
 * <p>Without a shuffle, no group ever sees both halves, and that network cannot do better than chance, by
 * construction: every square lies at least {@link #margin} pixels inside the picture, as far as the network's
 * receptive field reaches, so moving a square moves its feature maps and changes nothing else, and global average
 * pooling then gives the same features wherever it is. What reaches the classifier depends on neither position;
 * the label depends only on them. With the shuffle after the first grouped layer, the next 3×3 convolution sees
 * A's and B's features at the same place and can tell whether they coincide before the pooling forgets where.
 */
public final class PatternPairs {
    /** The network's receptive field reaches this far from a pixel: two 3×3 convolutions. */
    public static final int MARGIN = 2;

    private PatternPairs() {
    }

    /**
     * {@code n} pictures of 2 × side × side with a {@code square} × {@code square} pattern in each channel, half of
     * them with both patterns at the same place (label 1), drawn from the seed.
     */
    public static Images make(int n, int side, int square, long seed) {
        Check.positive("images", n);
        if (n % 2 != 0) {
            throw new IllegalArgumentException("images = " + n + " is not allowed: it must be even, so that half "
                    + "the pictures have the patterns at the same place");
        }
        Check.positive("square", square);
        int places = side - square - 2 * MARGIN + 1; // positions along one axis that keep the margin
        if (places < 2) {
            throw new IllegalArgumentException("side = " + side + " is not allowed with square = " + square
                    + ": a picture must leave a square at least two places to sit, " + MARGIN
                    + " pixels from every edge (side ≥ square + " + (2 * MARGIN + 1) + ")");
        }
        Random r = new Random(seed);
        int plane = side * side;
        float[] pixels = new float[n * 2 * plane];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i < n / 2 ? 1 : 0;
        }
        for (int i = n - 1; i > 0; i--) { // the labels in an order drawn from the seed
            int j = r.nextInt(i + 1);
            int t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        for (int i = 0; i < n; i++) {
            int a = r.nextInt(places * places);
            int b = a;
            if (labels[i] == 0) {
                b = r.nextInt(places * places - 1); // any other place, each as likely
                b += b >= a ? 1 : 0;
            }
            paint(pixels, (2 * i) * plane, side, square, a / places + MARGIN, a % places + MARGIN);
            paint(pixels, (2 * i + 1) * plane, side, square, b / places + MARGIN, b % places + MARGIN);
        }
        return Images.of("pattern pairs (" + square + "×" + square + " squares)", pixels, labels, 2, side, 2);
    }

    private static void paint(float[] pixels, int base, int side, int square, int row, int col) {
        for (int y = row; y < row + square; y++) {
            for (int x = col; x < col + square; x++) {
                pixels[base + y * side + x] = 1f;
            }
        }
    }

    /**
     * The network for the task, with {@code groups} groups in its two grouped layers: a 3×3 stem in two groups (A to
     * the first half of the {@code width} channels, B to the second), a grouped 1×1 convolution, the channel shuffle
     * if asked, a grouped 3×3 convolution, each followed by batch norm and ReLU, then global average pooling and a
     * two-way classifier.
     */
    public static Model net(int side, int groups, boolean shuffle, int width) {
        Check.positive("groups", groups);
        Check.positive("width", width);
        if (groups < 2 || groups % 2 != 0 || width % groups != 0) {
            throw new IllegalArgumentException("groups = " + groups + " is not allowed with width = " + width
                    + ": it must be even (each group within A's half or B's, so that only a shuffle mixes them) and "
                    + "divide the width");
        }
        List<Layer> body = new ArrayList<>();
        block(body, "stem", Conv2d.of(2, width, 3).padding(1).groups(2));
        block(body, "gconv", Conv2d.of(width, width, 1).groups(groups));
        if (shuffle) {
            body.add(Named.of("shuffle", new ChannelShuffle(groups)));
        }
        block(body, "conv3", Conv2d.of(width, width, 3).padding(1).groups(groups));
        body.add(Named.of("pool", new GlobalAvgPool()));
        body.add(Named.of("fc", FullyConnected.of(width, 2)));
        return new Model("pattern-pairs g=" + groups + (shuffle ? "" : ", no shuffle"), Shape.of(2, side),
                new Sequence(body));
    }

    private static void block(List<Layer> to, String name, Conv2d conv) {
        to.add(Named.of(name, new Sequence(List.of(conv.bias(false), new BatchNorm(conv.outChannels()),
                Activation.RELU))));
    }

    /** Trains {@code net} on {@code train} and returns its test accuracy after each epoch. */
    public static List<TrainResult.Epoch> train(Model net, Images train, Images test, int epochs, long seed) {
        return train(net, train, test, epochs, seed, Progress.standard());
    }

    /** {@link #train(Model, Images, Images, int, long)}, reporting to {@code progress}. */
    public static List<TrainResult.Epoch> train(Model net, Images train, Images test, int epochs, long seed,
                                                Progress progress) {
        return Training.fit(net, train, test, epochs, seed, progress);
    }
}
