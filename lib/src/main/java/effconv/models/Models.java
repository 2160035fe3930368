package effconv.models;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.Check;
import effconv.layers.Conv2d;
import effconv.layers.DepthwiseConv;
import effconv.layers.FullyConnected;
import effconv.layers.GlobalAvgPool;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.PointwiseConv;
import effconv.layers.Pool;
import effconv.layers.Residual;
import effconv.layers.SeparableConv;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks of the documents, built from their papers' tables. Each method says where its shapes come from;
 * every count is computed from these layers, never typed in.
 */
public final class Models {
    private Models() {
    }

    /** The names {@link #byName} knows. */
    public static final List<String> NAMES = List.of("alexnet", "squeezenet", "xception", "mobilenet-v1",
            "mobilenet-v2", "shufflenet-v1");

    // ---------------------------------------------------------------- AlexNet

    /**
     * AlexNet as Caffe's bvlc_alexnet (the reference of the filter-group data): 227×227 input, conv2, conv4 and
     * conv5 split into {@code groups} filter groups (the original two GPUs are groups = 2), conv3 and the fully
     * connected layers whole. LRN layers are left out (no parameters; the papers do not count them).
     */
    public static Model alexnet(int groups) {
        if (groups != 1 && groups != 2 && groups != 4) {
            throw new IllegalArgumentException("groups = " + groups + " is not allowed: AlexNet is defined here for "
                    + "1, 2 or 4 filter groups (the published filter-group data)");
        }
        Sequence body = Sequence.of(
                Named.of("conv1", Conv2d.of(3, 96, 11).stride(4).bias(true)),
                Named.of("relu1", Activation.RELU),
                Named.of("pool1", Pool.max(3, 2)),
                Named.of("conv2", Conv2d.of(96, 256, 5).padding(2).groups(groups).bias(true)),
                Named.of("relu2", Activation.RELU),
                Named.of("pool2", Pool.max(3, 2)),
                Named.of("conv3", Conv2d.of(256, 384, 3).padding(1).bias(true)),
                Named.of("relu3", Activation.RELU),
                Named.of("conv4", Conv2d.of(384, 384, 3).padding(1).groups(groups).bias(true)),
                Named.of("relu4", Activation.RELU),
                Named.of("conv5", Conv2d.of(384, 256, 3).padding(1).groups(groups).bias(true)),
                Named.of("relu5", Activation.RELU),
                Named.of("pool5", Pool.max(3, 2)),
                Named.of("fc6", FullyConnected.of(256 * 6 * 6, 4096)),
                Named.of("relu6", Activation.RELU),
                Named.of("fc7", FullyConnected.of(4096, 4096)),
                Named.of("relu7", Activation.RELU),
                Named.of("fc8", FullyConnected.of(4096, 1000)));
        return new Model("AlexNet (" + groups + (groups == 1 ? " group)" : " groups)"), Shape.of(3, 227), body);
    }

    // ---------------------------------------------------------------- SqueezeNet

    /**
     * SqueezeNet 1.0 (Iandola et al. 2016, Table 1), with Caffe's ceil-mode max pooling. The paper says 224×224
     * but prints 111×111 after conv1, which needs Caffe's 227×227; {@code resolution} chooses.
     */
    public static Model squeezenet(int resolution) {
        return squeezenet(resolution, 0.125);
    }

    /**
     * SqueezeNet 1.0 with squeeze ratio SR (Section 5.1): each fire module squeezes to SR × its expand channels
     * (0.125 gives the published model: 16, 32, 48, 64).
     */
    public static Model squeezenet(int resolution, double squeezeRatio) {
        Check.positive("resolution", resolution);
        if (!(squeezeRatio > 0 && squeezeRatio <= 1)) {
            throw new IllegalArgumentException("squeezeRatio = " + squeezeRatio + " is not allowed: it must be in "
                    + "(0, 1] (the paper sweeps 0.125 to 1)");
        }
        java.util.function.IntUnaryOperator sq = e -> Math.max(1, (int) Math.round(squeezeRatio * e));
        Sequence body = Sequence.of(
                Named.of("conv1", Conv2d.of(3, 96, 7).stride(2).bias(true)),
                Named.of("relu_conv1", Activation.RELU),
                Named.of("maxpool1", Pool.max(3, 2).ceilMode()),
                Named.of("fire2", new FireModule(96, sq.applyAsInt(128), 64, 64)),
                Named.of("fire3", new FireModule(128, sq.applyAsInt(128), 64, 64)),
                Named.of("fire4", new FireModule(128, sq.applyAsInt(256), 128, 128)),
                Named.of("maxpool4", Pool.max(3, 2).ceilMode()),
                Named.of("fire5", new FireModule(256, sq.applyAsInt(256), 128, 128)),
                Named.of("fire6", new FireModule(256, sq.applyAsInt(384), 192, 192)),
                Named.of("fire7", new FireModule(384, sq.applyAsInt(384), 192, 192)),
                Named.of("fire8", new FireModule(384, sq.applyAsInt(512), 256, 256)),
                Named.of("maxpool8", Pool.max(3, 2).ceilMode()),
                Named.of("fire9", new FireModule(512, sq.applyAsInt(512), 256, 256)),
                Named.of("conv10", Conv2d.of(512, 1000, 1).bias(true)),
                Named.of("relu_conv10", Activation.RELU),
                Named.of("avgpool10", new GlobalAvgPool()));
        return new Model(squeezeRatio == 0.125 ? "SqueezeNet 1.0" : "SqueezeNet 1.0 (SR = " + squeezeRatio + ")",
                Shape.of(3, resolution), body);
    }

    // ---------------------------------------------------------------- Xception

    private static Layer sep(int in, int out) {
        return SeparableConv.of(in, out, 3).padding(1);
    }

    /** An Xception block: [ReLU?] sep conv + BN, repeated; then a strided max pool with a 1×1 strided shortcut. */
    private static Layer xceptionDownBlock(String name, int in, int mid, int out, boolean reluFirst) {
        List<Layer> body = new ArrayList<>();
        if (reluFirst) {
            body.add(Named.of("relu1", Activation.RELU));
        }
        body.add(Named.of("sepconv1", sep(in, mid)));
        body.add(Named.of("sepconv1_bn", new BatchNorm(mid)));
        body.add(Named.of("relu2", Activation.RELU));
        body.add(Named.of("sepconv2", sep(mid, out)));
        body.add(Named.of("sepconv2_bn", new BatchNorm(out)));
        body.add(Named.of("pool", Pool.max(3, 2).padding(1)));
        Layer shortcut = Sequence.of(Named.of("shortcut", Conv2d.of(in, out, 1).stride(2)),
                Named.of("shortcut_bn", new BatchNorm(out)));
        return Named.of(name, new Residual(new Sequence(body), shortcut));
    }

    /**
     * Xception (Chollet 2017, Figure 5) on a 299×299 input: entry flow, eight middle-flow blocks, exit flow; every
     * convolution without bias and followed by batch norm, as in the paper's Keras model. With {@code top}, the
     * final 2048 → 1000 fully connected layer.
     */
    public static Model xception(boolean top) {
        List<Layer> l = new ArrayList<>();
        l.add(Named.of("block1_conv1", Conv2d.of(3, 32, 3).stride(2)));
        l.add(Named.of("block1_conv1_bn", new BatchNorm(32)));
        l.add(Named.of("block1_conv1_relu", Activation.RELU));
        l.add(Named.of("block1_conv2", Conv2d.of(32, 64, 3)));
        l.add(Named.of("block1_conv2_bn", new BatchNorm(64)));
        l.add(Named.of("block1_conv2_relu", Activation.RELU));
        l.add(xceptionDownBlock("block2", 64, 128, 128, false));
        l.add(xceptionDownBlock("block3", 128, 256, 256, true));
        l.add(xceptionDownBlock("block4", 256, 728, 728, true));
        for (int b = 5; b <= 12; b++) {
            List<Layer> body = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                body.add(Named.of("relu" + i, Activation.RELU));
                body.add(Named.of("sepconv" + i, sep(728, 728)));
                body.add(Named.of("sepconv" + i + "_bn", new BatchNorm(728)));
            }
            l.add(Named.of("block" + b, new Residual(new Sequence(body))));
        }
        l.add(xceptionDownBlock("block13", 728, 728, 1024, true));
        l.add(Named.of("block14_sepconv1", sep(1024, 1536)));
        l.add(Named.of("block14_sepconv1_bn", new BatchNorm(1536)));
        l.add(Named.of("block14_sepconv1_relu", Activation.RELU));
        l.add(Named.of("block14_sepconv2", sep(1536, 2048)));
        l.add(Named.of("block14_sepconv2_bn", new BatchNorm(2048)));
        l.add(Named.of("block14_sepconv2_relu", Activation.RELU));
        l.add(Named.of("avg_pool", new GlobalAvgPool()));
        if (top) {
            l.add(Named.of("predictions", FullyConnected.of(2048, 1000)));
        }
        return new Model("Xception" + (top ? "" : " (no FC)"), Shape.of(3, 299), new Sequence(l));
    }

    // ---------------------------------------------------------------- MobileNet v1

    /** α·channels, rounded down as the reference implementation does, at least 1. */
    static int width(int channels, double alpha) {
        return Math.max(1, (int) (channels * alpha));
    }

    static void checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha <= 2)) {
            throw new IllegalArgumentException("alpha = " + alpha + " is not allowed: the width multiplier must be "
                    + "in (0, 2] (the papers use 0.25 to 1.4)");
        }
    }

    /**
     * MobileNet v1 (Howard et al. 2017, Table 1) with width multiplier α and input resolution (ρ·224). Every
     * convolution is followed by batch norm and ReLU, none has a bias; the 7×7 average pool is a global pool so
     * that other resolutions work.
     */
    public static Model mobilenetV1(double alpha, int resolution) {
        return mobilenetV1(alpha, resolution, false);
    }

    /**
     * MobileNet v1; {@code shallow} removes the five 14×14×512 separable layers (the "Shallow MobileNet" of
     * Table 5).
     */
    public static Model mobilenetV1(double alpha, int resolution, boolean shallow) {
        checkAlpha(alpha);
        Check.positive("resolution", resolution);
        int[][] blocks = { // output channels, stride of the depthwise conv
            {64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2},
            {512, 1}, {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};
        List<Layer> l = new ArrayList<>();
        int c = width(32, alpha);
        l.add(Named.of("conv1", Conv2d.of(3, c, 3).stride(2).padding(1)));
        l.add(Named.of("conv1_bn", new BatchNorm(c)));
        l.add(Named.of("conv1_relu", Activation.RELU));
        for (int i = 0; i < blocks.length; i++) {
            if (shallow && i >= 6 && i <= 10) {
                continue; // the five repeated 512-channel blocks
            }
            int out = width(blocks[i][0], alpha);
            String n = "block" + (i + 1);
            l.add(Named.of(n + "/dw", DepthwiseConv.of(c, 3).stride(blocks[i][1]).padding(1)));
            l.add(Named.of(n + "/dw_bn", new BatchNorm(c)));
            l.add(Named.of(n + "/dw_relu", Activation.RELU));
            l.add(Named.of(n + "/pw", PointwiseConv.of(c, out)));
            l.add(Named.of(n + "/pw_bn", new BatchNorm(out)));
            l.add(Named.of(n + "/pw_relu", Activation.RELU));
            c = out;
        }
        l.add(Named.of("avgpool", new GlobalAvgPool()));
        l.add(Named.of("fc", FullyConnected.of(c, 1000)));
        return new Model(String.format(java.util.Locale.ROOT, "%sMobileNet v1 (α = %s, %d×%d)",
                shallow ? "Shallow " : "", trim(alpha), resolution, resolution), Shape.of(3, resolution),
                new Sequence(l));
    }

    /**
     * "Conv MobileNet" of Howard et al. 2017, Table 4: MobileNet v1 (α = 1, 224×224) with every depthwise-separable
     * block replaced by one full 3×3 convolution of the same input channels, output channels and stride (each
     * followed by batch norm and ReLU) — the network the paper trains to show what separability costs in accuracy.
     */
    public static Model convMobilenetV1() {
        Model separable = mobilenetV1(1, 224);
        List<Layer> l = new ArrayList<>();
        List<Layer> body = ((Sequence) separable.body()).layers();
        for (int i = 0; i < body.size(); i++) {
            Named n = (Named) body.get(i);
            if (n.name().endsWith("/dw")) {
                Conv2d dw = ((DepthwiseConv) n.layer()).toConv2d();
                Conv2d pw = ((PointwiseConv) ((Named) body.get(i + 3)).layer()).toConv2d();
                String block = n.name().substring(0, n.name().indexOf('/'));
                l.add(Named.of(block + "/conv",
                        Conv2d.of(dw.inChannels(), pw.outChannels(), 3).stride(dw.stride()).padding(1)));
                l.add(Named.of(block + "/bn", new BatchNorm(pw.outChannels())));
                l.add(Named.of(block + "/relu", Activation.RELU));
                i += 5; // dw, dw_bn, dw_relu, pw, pw_bn, pw_relu
            } else {
                l.add(n);
            }
        }
        return new Model("Conv MobileNet (α = 1, 224×224)", separable.input(), new Sequence(l));
    }

    // ---------------------------------------------------------------- MobileNetV2

    /** Channels rounded to a multiple of 8, never more than 10% below α·c (the reference's _make_divisible). */
    static int divisible8(double v) {
        int r = Math.max(8, (int) (v + 4) / 8 * 8);
        return r < 0.9 * v ? r + 8 : r;
    }

    /**
     * MobileNetV2 (Sandler et al. 2018, Table 2) with width multiplier α and input resolution: channels α·c rounded
     * to multiples of 8, the last 1×1 conv 1280 wide (α·1280 when α &gt; 1), batch norm after every conv, ReLU6
     * except after projections, classifier 1280 → 1000 with bias.
     */
    public static Model mobilenetV2(double alpha, int resolution) {
        checkAlpha(alpha);
        Check.positive("resolution", resolution);
        int[][] settings = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1},
            {6, 160, 3, 2}, {6, 320, 1, 1}}; // t, c, n, s
        List<Layer> l = new ArrayList<>();
        int c = divisible8(32 * alpha);
        l.add(Named.of("conv1", Conv2d.of(3, c, 3).stride(2).padding(1)));
        l.add(Named.of("conv1_bn", new BatchNorm(c)));
        l.add(Named.of("conv1_relu6", Activation.RELU6));
        int b = 0;
        for (int[] s : settings) {
            int out = divisible8(s[1] * alpha);
            for (int i = 0; i < s[2]; i++) {
                l.add(Named.of("block" + (++b), new InvertedResidual(c, out, s[0], i == 0 ? s[3] : 1)));
                c = out;
            }
        }
        int last = alpha > 1 ? divisible8(1280 * alpha) : 1280;
        l.add(Named.of("conv_last", PointwiseConv.of(c, last)));
        l.add(Named.of("conv_last_bn", new BatchNorm(last)));
        l.add(Named.of("conv_last_relu6", Activation.RELU6));
        l.add(Named.of("avgpool", new GlobalAvgPool()));
        l.add(Named.of("classifier", FullyConnected.of(last, 1000)));
        return new Model(String.format(java.util.Locale.ROOT, "MobileNetV2 (α = %s, %d×%d)", trim(alpha), resolution,
                resolution), Shape.of(3, resolution), new Sequence(l));
    }

    // ---------------------------------------------------------------- ShuffleNet v1

    /** Stage output channels for g = 1, 2, 3, 4, 8 (Zhang et al. 2017, Table 1). */
    public static int[] shufflenetChannels(int groups) {
        return switch (groups) {
            case 1 -> new int[] {144, 288, 576};
            case 2 -> new int[] {200, 400, 800};
            case 3 -> new int[] {240, 480, 960};
            case 4 -> new int[] {272, 544, 1088};
            case 8 -> new int[] {384, 768, 1536};
            default -> throw new IllegalArgumentException("groups = " + groups + " is not allowed: ShuffleNet v1 is "
                    + "defined for 1, 2, 3, 4 or 8 groups (Table 1)");
        };
    }

    /**
     * ShuffleNet v1 (Zhang et al. 2017, Table 1) with g groups and scale s ("ShuffleNet s×": every stage's
     * channels times s, conv1's 24 too; stage widths rounded to a multiple of 4·g and conv1 to a multiple of g, so
     * every group convolution divides evenly).
     */
    public static Model shufflenetV1(int groups, double scale) {
        int[] base = shufflenetChannels(groups);
        if (!(scale > 0 && scale <= 4)) {
            throw new IllegalArgumentException("scale = " + scale + " is not allowed: it must be in (0, 4] "
                    + "(the paper uses 0.25, 0.5, 1, 1.5 and 2)");
        }
        List<Layer> l = new ArrayList<>();
        // conv1's 24·s channels, rounded up to a multiple of g so the first unit's branch divides into groups
        int c = (int) Math.ceil(24 * scale / groups - 1e-9) * groups;
        l.add(Named.of("conv1", Conv2d.of(3, c, 3).stride(2).padding(1)));
        l.add(Named.of("conv1_bn", new BatchNorm(c)));
        l.add(Named.of("conv1_relu", Activation.RELU));
        l.add(Named.of("maxpool", Pool.max(3, 2).padding(1)));
        int[] repeats = {3, 7, 3};
        for (int st = 0; st < 3; st++) {
            int quantum = 4 * groups;
            int out = Math.max(quantum, (int) Math.round(base[st] * scale / quantum) * quantum);
            String n = "stage" + (st + 2);
            l.add(Named.of(n + "/unit1", new ShuffleUnit(c, out, groups, 2, st > 0)));
            for (int u = 0; u < repeats[st]; u++) {
                l.add(Named.of(n + "/unit" + (u + 2), new ShuffleUnit(out, out, groups, 1, true)));
            }
            c = out;
        }
        l.add(Named.of("globalpool", new GlobalAvgPool()));
        l.add(Named.of("fc", FullyConnected.of(c, 1000)));
        return new Model(String.format(java.util.Locale.ROOT, "ShuffleNet %s× (g = %d)", trim(scale), groups),
                Shape.of(3, 224), new Sequence(l));
    }

    // ---------------------------------------------------------------- by name

    /**
     * A network by its command-line name, with the options that apply to it (others must be null): groups for
     * alexnet and shufflenet-v1, alpha and resolution for the MobileNets and SqueezeNet, scale for ShuffleNet.
     */
    public static Model byName(String name, Integer groups, Double alpha, Integer resolution, Double scale) {
        Check.notNull("model", name);
        String n = name.toLowerCase(java.util.Locale.ROOT);
        switch (n) {
            case "alexnet" -> {
                refuse(n, "alpha", alpha, "resolution", resolution, "scale", scale);
                return alexnet(groups == null ? 2 : groups);
            }
            case "squeezenet" -> {
                refuse(n, "groups", groups, "alpha", alpha, "scale", scale);
                return squeezenet(resolution == null ? 224 : resolution);
            }
            case "xception" -> {
                refuse(n, "groups", groups, "alpha", alpha, "resolution", resolution, "scale", scale);
                return xception(true);
            }
            case "mobilenet-v1" -> {
                refuse(n, "groups", groups, "scale", scale);
                return mobilenetV1(alpha == null ? 1.0 : alpha, resolution == null ? 224 : resolution);
            }
            case "mobilenet-v2" -> {
                refuse(n, "groups", groups, "scale", scale);
                return mobilenetV2(alpha == null ? 1.0 : alpha, resolution == null ? 224 : resolution);
            }
            case "shufflenet-v1" -> {
                refuse(n, "alpha", alpha, "resolution", resolution);
                return shufflenetV1(groups == null ? 3 : groups, scale == null ? 1.0 : scale);
            }
            default -> throw new IllegalArgumentException("model = \"" + name + "\" is not allowed: choose one of "
                    + String.join(", ", NAMES));
        }
    }

    /** Pairs of option name and value: any value given is refused, as the model has no such option. */
    private static void refuse(String model, Object... options) {
        for (int i = 0; i + 1 < options.length; i += 2) {
            if (options[i] != null && options[i + 1] != null) {
                throw new IllegalArgumentException(options[i] + " = " + options[i + 1] + " is not allowed for "
                        + model + ": it has no " + options[i] + " option");
            }
        }
    }

    static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
