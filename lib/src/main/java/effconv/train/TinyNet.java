package effconv.train;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.ChannelShuffle;
import effconv.layers.Check;
import effconv.layers.Conv2d;
import effconv.layers.FullyConnected;
import effconv.layers.GlobalAvgPool;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.Pool;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.models.Model;
import java.util.ArrayList;
import java.util.List;


/**
 * The two small networks the training lessons train on Fashion-MNIST (1×28×28), built from the same layer specs
 * the course counts:
 * <ul>
 * <li>{@code shufflenet-tiny}: a 3×3 stem (24 channels, stride 2), then three ShuffleNet-style units of grouped 1×1 →
 * (channel shuffle) → depthwise 3×3 → grouped 1×1 with widths w, 2w, 2w (w = 48; the first unit has stride 2),
 * global average pooling and a classifier;
 * <li>{@code alexnet-tiny}: five 3×3 convolutions (16, w, 2w, 2w, 2w channels, w = 32; max pooling after the first two),
 * grouped where AlexNet's were — the 2nd, 4th and 5th — then global average pooling and a classifier.
 * </ul>
 * Every convolution is followed by batch norm, or carries a bias when batch norm is off. With {@code widthMatch},
 * grouped layers alone are widened until the network has as many parameters as its one-group version (as close as
 * widths divisible by g allow): in the tiny ShuffleNet, w; in the tiny AlexNet, the channels between its grouped
 * conv4 and conv5 only, so the ungrouped conv1, conv3 and the classifier keep their size — widening w there would
 * grow the ungrouped conv3 (w → 2w) and the classifier too.
 *
 * <p>With {@code halves} (the tiny ShuffleNet only), the picture's top and bottom halves come as two channels
 * ({@link Images#halves()}) and the stem is grouped in two, so each half feeds its own groups: without the shuffle the
 * two halves of a garment meet only in the classifier, after global pooling; with it, from the first unit on.
 */
public record TinyNet(String name, int groups, boolean shuffle, boolean batchNorm, boolean widthMatch,
                      boolean halves) {
    public static final String SHUFFLENET = "shufflenet-tiny";
    public static final String ALEXNET = "alexnet-tiny";
    public static final List<String> NAMES = List.of(SHUFFLENET, ALEXNET);
    public static final Shape INPUT = Shape.of(1, 28);

    private static final int SHUFFLE_WIDTH = 48;
    private static final int[] ALEX_WIDTHS = {16, 32, 64, 64, 64};

    public TinyNet {
        Check.notNull("net", name);
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("net = \"" + name + "\" is not allowed: choose one of " + NAMES);
        }
        Check.positive("groups", groups);
        shuffle = shuffle && name.equals(SHUFFLENET) && groups > 1;
        if (halves && !name.equals(SHUFFLENET)) {
            throw new IllegalArgumentException("net = \"" + name + "\" is not allowed with halves: only "
                    + SHUFFLENET + " takes the picture's halves as two channels");
        }
        if (halves && groups % 2 != 0) {
            throw new IllegalArgumentException("groups = " + groups + " is not allowed with halves: it must be even, "
                    + "so that every group lies within one half's channels");
        }
        build(name, groups, shuffle, batchNorm, baseWidth(name), halves); // refuses groups that divide no width
    }

    /** Without the halves: the picture as one channel. */
    public TinyNet(String name, int groups, boolean shuffle, boolean batchNorm, boolean widthMatch) {
        this(name, groups, shuffle, batchNorm, widthMatch, false);
    }

    /** The tiny ShuffleNet with g groups, shuffle and batch norm on. */
    public static TinyNet shuffleNet(int groups) {
        return new TinyNet(SHUFFLENET, groups, true, true, false);
    }

    /** The tiny AlexNet with g groups and batch norm on. */
    public static TinyNet alexNet(int groups) {
        return new TinyNet(ALEXNET, groups, false, true, false);
    }

    public static TinyNet named(String name, int groups) {
        return new TinyNet(name, groups, true, true, false);
    }

    public TinyNet withGroups(int g) {
        return new TinyNet(name, g, shuffle || (name.equals(SHUFFLENET) && groups == 1), batchNorm, widthMatch,
                halves);
    }

    public TinyNet withShuffle(boolean s) {
        return new TinyNet(name, groups, s, batchNorm, widthMatch, halves);
    }

    public TinyNet withBatchNorm(boolean b) {
        return new TinyNet(name, groups, shuffle, b, widthMatch, halves);
    }

    public TinyNet withWidthMatch(boolean m) {
        return new TinyNet(name, groups, shuffle, batchNorm, m, halves);
    }

    /** The tiny ShuffleNet fed the picture's top and bottom halves as two channels, its stem grouped in two. */
    public TinyNet withHalves(boolean h) {
        return new TinyNet(name, groups, shuffle, batchNorm, widthMatch, h);
    }

    /** Fashion-MNIST's pictures as this network takes them: as they are, or as two halves. */
    public Images prepare(Images images) {
        Check.notNull("images", images);
        return halves ? images.halves() : images;
    }

    /**
     * The width that width matching widens: the tiny ShuffleNet's w, the tiny AlexNet's conv4 output (= conv5
     * input) channels; the base width unless width-matched.
     */
    public int width() {
        int base = baseWidth(name);
        if (!widthMatch || groups == 1) {
            return base;
        }
        long target = build(name, 1, false, batchNorm, base, false).params();
        int best = base;
        long bestGap = Long.MAX_VALUE;
        for (int w = groups; w <= base * 16; w += groups) { // grouped widths must be multiples of g
            long gap = Math.abs(build(name, groups, shuffle, batchNorm, w, halves).params() - target);
            if (gap < bestGap) {
                best = w;
                bestGap = gap;
            }
        }
        return best;
    }

    public Model model() {
        return build(name, groups, shuffle, batchNorm, width(), halves);
    }

    /** A short label: "shufflenet-tiny g=4, no shuffle, width 48". */
    public String label() {
        StringBuilder b = new StringBuilder(name).append(" g=").append(groups);
        if (halves) {
            b.append(", halves apart");
        }
        if (name.equals(SHUFFLENET) && groups > 1 && !shuffle) {
            b.append(", no shuffle");
        }
        if (!batchNorm) {
            b.append(", no batch norm");
        }
        if (widthMatch) {
            b.append(name.equals(ALEXNET) ? ", conv4 width " : ", width ").append(width());
        }
        return b.toString();
    }

    private static int baseWidth(String name) {
        return name.equals(SHUFFLENET) ? SHUFFLE_WIDTH : ALEX_WIDTHS[3];
    }

    private static Model build(String name, int g, boolean shuffle, boolean bn, int w, boolean halves) {
        Layer body = name.equals(SHUFFLENET) ? shuffleNet(g, shuffle, bn, w, halves) : alexNet(g, bn, w);
        return new Model(name, halves ? Shape.of(2, INPUT.height()) : INPUT, body);
    }

    private static Layer shuffleNet(int g, boolean shuffle, boolean bn, int w, boolean halves) {
        List<Layer> net = new ArrayList<>();
        List<Layer> stem = new ArrayList<>();
        int in = halves ? 2 : 1; // with the halves, a grouped stem: channels 0-11 see the top, 12-23 the bottom
        block(stem, bn, "conv", "bn", "relu", Conv2d.of(in, 24, 3).stride(2).padding(1).groups(in));
        net.add(Named.of("stem", new Sequence(stem)));
        net.add(Named.of("u1", unit(24, w, 2, g, shuffle, bn)));
        net.add(Named.of("u2", unit(w, 2 * w, 1, g, shuffle, bn)));
        net.add(Named.of("u3", unit(2 * w, 2 * w, 1, g, shuffle, bn)));
        net.add(Named.of("pool", new GlobalAvgPool()));
        net.add(Named.of("fc", FullyConnected.of(2 * w, 10)));
        return new Sequence(net);
    }

    /** grouped 1×1 → BN → ReLU → (shuffle) → depthwise 3×3 → BN → grouped 1×1 → BN → ReLU. */
    private static Layer unit(int in, int out, int stride, int g, boolean shuffle, boolean bn) {
        List<Layer> u = new ArrayList<>();
        block(u, bn, "gconv1", "bn1", "relu1", Conv2d.of(in, out, 1).groups(g));
        if (shuffle) {
            u.add(Named.of("shuffle", new ChannelShuffle(g)));
        }
        block(u, bn, "dwconv", "bn2", null, Conv2d.of(out, out, 3).stride(stride).padding(1).groups(out));
        block(u, bn, "gconv2", "bn3", "relu2", Conv2d.of(out, out, 1).groups(g));
        return new Sequence(u);
    }

    /** conv4's output channels are {@code mid} (64 unless width-matched); the other widths are fixed. */
    private static Layer alexNet(int g, boolean bn, int mid) {
        int[] widths = {ALEX_WIDTHS[0], ALEX_WIDTHS[1], ALEX_WIDTHS[2], mid, ALEX_WIDTHS[4]};
        List<Layer> net = new ArrayList<>();
        int in = 1;
        for (int i = 0; i < 5; i++) {
            int groups = i == 1 || i == 3 || i == 4 ? g : 1; // AlexNet grouped conv2, conv4 and conv5
            List<Layer> l = new ArrayList<>();
            block(l, bn, "conv", "bn", "relu", Conv2d.of(in, widths[i], 3).padding(1).groups(groups));
            if (i < 2) {
                l.add(Named.of("pool", Pool.max(2, 2)));
            }
            net.add(Named.of("conv" + (i + 1), new Sequence(l)));
            in = widths[i];
        }
        net.add(Named.of("pool", new GlobalAvgPool()));
        net.add(Named.of("fc", FullyConnected.of(in, 10)));
        return new Sequence(net);
    }

    /** Appends a convolution, then batch norm (or, without it, the conv's own bias), then ReLU if named. */
    private static void block(List<Layer> to, boolean bn, String conv, String norm, String relu, Conv2d c) {
        to.add(Named.of(conv, c.bias(!bn)));
        if (bn) {
            to.add(Named.of(norm, new BatchNorm(c.outChannels())));
        }
        if (relu != null) {
            to.add(Named.of(relu, Activation.RELU));
        }
    }

    @Override
    public String toString() {
        return label();
    }
}
