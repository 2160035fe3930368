package effconv.exercise;

import effconv.bench.BenchSuite;
import effconv.exercise.Exercise.Range;
import effconv.layers.ChannelShuffle;
import effconv.layers.Check;
import effconv.layers.Conv2d;
import effconv.layers.DepthwiseConv;
import effconv.layers.DilatedConv;
import effconv.layers.Layer;
import effconv.layers.PointwiseConv;
import effconv.layers.SeparableConv;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.models.Bottleneck;
import effconv.models.InvertedResidual;
import effconv.models.Model;
import effconv.models.Models;
import effconv.models.ShuffleUnit;
import effconv.report.Summary;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The lessons' checkable exercises, each named for what it asks. Every expected value is computed here by the
 * course's own specs and networks at the moment of the check — the same code the lessons teach with — so a check
 * can never disagree with the library, and nothing is typed. Parameters are those the exercise lets a student
 * choose; they are checked like any other input.
 */
public final class Exercises {

    private Exercises() {
    }

    // ---- lesson 1: standard vs separable

    /** Parameters of a standard K×K convolution C → N without bias. */
    public static Exercise standardParams(int c, int n, int k) {
        return Exercise.count("the standard layer's parameter count", Conv2d.of(c, n, k).params(),
                "one K×K×C filter per output channel: N · C · K², and this layer has no bias.");
    }

    /** Parameters of a depthwise-separable K×K convolution C → N without bias. */
    public static Exercise separableParams(int c, int n, int k) {
        return Exercise.count("the separable layer's parameter count", SeparableConv.of(c, n, k).params(),
                "a K×K filter per input channel (depthwise), then an N × C matrix (pointwise): C · K² + C · N.");
    }

    /** The kernel size at which a standard convolution without padding on an H×H input counts the most MACs. */
    public static Exercise peakKernel(int h) {
        Check.positive("h", h);
        Shape in = Shape.of(1, h);
        long most = 0;
        int first = 1, last = 1;   // an even H has two kernel sizes that tie; either answer is right
        for (int k = 1; k <= h; k++) {
            long macs = Conv2d.of(1, 1, k).macs(in);
            if (macs > most) {
                most = macs;
                first = last = k;
            } else if (macs == most) {
                last = k;
            }
        }
        String hint = "the MACs are N · C · K² · (H − K + 1)²: maximise K · (H − K + 1) over K.";
        return first == last ? Exercise.count("the kernel size with the most MACs", first, hint)
                : new Exercise("the kernel size with the most MACs", (first + last) / 2.0, (last - first) / 2.0,
                        Range.COUNT, hint);
    }

    /** The largest N for which a separable K×K layer still costs more than half of the standard one. */
    public static Exercise largestNWithSmallSaving(int k) {
        Check.positive("k", k);
        Shape in = Shape.of(4, k + 4);
        long largest = 0;
        for (int n = 1; n <= 10_000; n++) {
            if (2 * SeparableConv.of(4, n, k).macs(in) > Conv2d.of(4, n, k).macs(in)) largest = n;
        }
        return Exercise.count("the largest N with a saving under one half", largest,
                "the ratio is 1/N + 1/K²: solve 1/N + 1/K² > 1/2 for N.");
    }

    // ---- lesson 2: depthwise

    /** MACs of a depthwise K×K layer over C channels of an H×H input with the given padding. */
    public static Exercise depthwiseMacs(int c, int k, int h, int padding) {
        return Exercise.count("the depthwise layer's MAC count",
                DepthwiseConv.of(c, k).padding(padding).macs(Shape.of(c, h)),
                "K · K MACs per output value, C output channels, H_out · W_out positions (with this padding, "
                        + "H_out = H + 2p − K + 1).");
    }

    /** The channel count C at which a depthwise K×K layer costs as many MACs as a pointwise C → C layer. */
    public static Exercise depthwiseEqualsPointwise(int k) {
        Check.positive("k", k);
        Shape unit = Shape.of(1, 8);
        for (int c = 1; c <= 10_000; c++) {
            Shape in = Shape.of(c, unit.height());
            if (DepthwiseConv.of(c, k).padding(k / 2).macs(in) == PointwiseConv.of(c, c).macs(in)) {
                return Exercise.count("the channel count where both cost the same", c,
                        "per position a depthwise layer costs C · K², a pointwise C → C layer C · C: set them equal.");
            }
        }
        throw new IllegalArgumentException("k = " + k + " is not allowed: no channel count up to 10,000 balances it");
    }

    // ---- lessons 3 and 4: pointwise convolution, SqueezeNet

    /**
     * The squeeze width s at which C → s (1×1) → N (K×K) costs as many MACs as a direct K×K convolution C → N; any
     * answer within one channel is right.
     */
    public static Exercise squeezeBreakEven(int c, int n, int k) {
        Shape in = Shape.of(c, 1);   // one position: both paths keep it with "same" padding
        double direct = Conv2d.of(c, n, k).padding(k / 2).macs(in);
        double perSqueezedChannel = Sequence.of(PointwiseConv.of(c, 1), Conv2d.of(1, n, k).padding(k / 2)).macs(in);
        return Exercise.measure("the break-even squeeze width", direct / perSqueezedChannel, 1, Range.POSITIVE,
                "per position the direct layer costs C · N · K²; squeezing to s costs C · s + s · N · K². Solve for s.");
    }

    /** The parameters of a fire module C_in → s (1×1) → e₁ (1×1) + e₃ (3×3), every layer with a bias. */
    public static Exercise fireModuleParams(int in, int squeeze, int expand1, int expand3) {
        return Exercise.count("the fire module's parameter count",
                new effconv.models.FireModule(in, squeeze, expand1, expand3).params(),
                "each layer has (its inputs · K² + 1) · its outputs: the squeeze, then both expands reading the squeeze.");
    }

    /** The fire module of SqueezeNet 1.0 with the most parameters. */
    public static Exercise fireModuleWithMostParams() {
        return Exercise.name("the fire module with the most parameters", mostBy(fireModules(), true),
                "add up each fireN's rows (their path starts with \"fireN/\") and compare the sums.");
    }

    /** The fire module of SqueezeNet 1.0 with the most MACs. */
    public static Exercise fireModuleWithMostMacs() {
        return Exercise.name("the fire module with the most MACs", mostBy(fireModules(), false),
                "add up each fireN's rows' MACs: a later module has wider channels, an earlier one larger maps.");
    }

    /** How many times the MACs of a depthwise-separable K×K layer C → C a full K×K convolution counts, within 1%. */
    public static Exercise separableSaving(int c, int k) {
        Shape in = Shape.of(c, 8);
        double ratio = (double) Conv2d.of(c, c, k).padding(k / 2).macs(in) / SeparableConv.of(c, c, k).padding(k / 2).macs(in);
        return Exercise.measure("the full layer's MACs over the separable one's", ratio, 0.01 * ratio, Range.POSITIVE,
                "the separable layer counts 1/N + 1/K² of the full one's MACs.");
    }

    // ---- lessons 5 and 6: grouped convolution, AlexNet's filter groups

    /** The fraction of zeros in the dense weight matrix equivalent to a grouped convolution with g groups. */
    public static Exercise zeroFraction(int g) {
        Check.positive("g", g);
        double kept = (double) Conv2d.of(g, g, 1).groups(g).params() / Conv2d.of(g, g, 1).params();
        return Exercise.measure("the fraction of zero weights", 1 - kept, 0.005, Range.FRACTION,
                "each output channel keeps the weights of its own group only: 1/g of its row.");
    }

    /** The layer of AlexNet (with g filter groups) holding the most parameters. */
    public static Exercise alexnetLayerWithMostParams(int g) {
        return Exercise.name("the layer with the most parameters", mostRow(Models.alexnet(g), true),
                "Summary.of(Models.alexnet(g)).rows(): compare each row's params(); the fully connected layers "
                        + "are large.");
    }

    /** The layer of AlexNet (with g filter groups) with the most MACs. */
    public static Exercise alexnetLayerWithMostMacs(int g) {
        return Exercise.name("the layer with the most MACs", mostRow(Models.alexnet(g), false),
                "Summary.of(Models.alexnet(g)).rows(): compare each row's macs().");
    }

    /** The sum of the output channels of AlexNet's weighted layers (its convolutions and fully connected layers). */
    public static Exercise alexnetOutputChannels() {
        long sum = Summary.of(Models.alexnet(1)).rows().stream().filter(r -> r.params() > 0)
                .mapToLong(r -> r.output().channels()).sum();
        return Exercise.count("the sum of AlexNet's output channels", sum,
                "add the output channels (N) of conv1 … conv5 and fc6 … fc8.");
    }

    /** The smallest group count that brings a K×K convolution C → N on an H×H input ("same" padding) to a budget. */
    public static Exercise smallestGroupsWithin(int c, int n, int k, int h, long budget) {
        positive("budget", budget);
        Shape in = Shape.of(c, h);
        for (int g = 1; g <= Math.min(c, n); g++) {
            if (c % g == 0 && n % g == 0 && Conv2d.of(c, n, k).padding(k / 2).groups(g).macs(in) <= budget) {
                return Exercise.count("the smallest g within the budget", g,
                        "g divides the MACs of the ungrouped layer; g must also divide both channel counts.");
            }
        }
        throw new IllegalArgumentException("budget = " + budget + " is not allowed: no g that divides " + c + " and "
                + n + " brings the layer under it");
    }

    // ---- lessons 7 and 8: channel shuffle, ShuffleNet

    /** Where the shuffle with g groups sends channel {@code channel} of C. */
    public static Exercise shuffledPosition(int c, int g, int channel) {
        Check.divides("g", g, "c", c);
        if (channel < 0 || channel >= c) {
            throw new IllegalArgumentException("channel = " + channel + " is not allowed: 0 to " + (c - 1));
        }
        return Exercise.count("the channel's new position", new ChannelShuffle(g).destination(channel, c),
                "write channel index = group · (C/g) + position; the shuffle swaps the two: position · g + group.");
    }

    /** How many times cheaper a ShuffleNet unit is than a ResNet unit of the same width (within 1%). */
    public static Exercise shuffleUnitSaving(int c, int m, int h, int g) {
        Shape in = Shape.of(c, h);
        double ratio = (double) Bottleneck.resnet(c, m).macs(in) / new ShuffleUnit(c, c, g, 1, true).macs(in);
        return Exercise.measure("the ResNet unit's MACs over the ShuffleNet unit's", ratio, 0.01 * ratio,
                Range.POSITIVE, "per position: (2cm + 9m²) against (2cm/g + 9m).");
    }

    /** The largest g dividing C for which one shuffle between two group convolutions connects every input to every output. */
    public static Exercise largestFullyMixingGroups(int c) {
        Check.positive("c", c);
        int best = 1;
        for (int g = 1; g <= c; g++) {
            if (c % g == 0 && c / g >= g) best = g;   // each group must receive a channel from every group
        }
        return Exercise.count("the largest fully mixing g", best,
                "after the shuffle, group j of the next layer reads the C/g consecutive positions from j·C/g on, and "
                        + "position p holds a channel of group p mod g: it hears from every group when C/g ≥ g.");
    }

    // ---- lesson 9: dilated convolution

    /** The receptive field (pixels across) of a stack of K×K layers with the given dilations, stride 1. */
    public static Exercise receptiveField(int k, int... dilations) {
        Check.notNull("dilations", dilations);
        long field = 1;
        for (int d : dilations) field += DilatedConv.of(1, 1, k, d).toConv2d().effectiveKernel() - 1;
        return Exercise.count("the receptive field", field,
                "each layer widens the field by its effective kernel minus one: d · (K − 1).");
    }

    /** The padding that keeps a K×K layer with dilation d at its input's size. */
    public static Exercise samePadding(int k, int d) {
        return Exercise.count("the same-size padding", DilatedConv.of(1, 1, k, d).samePadding().padding(),
                "the effective kernel is k̂ = K + (K − 1)(d − 1); pad (k̂ − 1)/2 on each side.");
    }

    /** The fewest K×K layers with dilations 1, 2, 4, … whose receptive field reaches {@code field} pixels. */
    public static Exercise fewestDoublingLayers(int k, int field) {
        Check.positive("field", field);
        int layers = 0;
        long reach = 1;
        while (reach < field) {
            reach += DilatedConv.of(1, 1, k, 1 << layers).toConv2d().effectiveKernel() - 1;
            layers++;
        }
        return Exercise.count("the fewest layers", layers,
                "after L layers the field is 1 + (K − 1)(1 + 2 + … + 2^(L−1)) = 1 + (K − 1)(2^L − 1).");
    }

    // ---- lesson 10: MobileNet v1

    /** The percentage of MobileNet v1's MACs (α = 1, 224) in its last two blocks, within 0.1 points. */
    public static Exercise mobilenetLastTwoBlocksShare() {
        Model m = Models.mobilenetV1(1, 224);
        long last = Summary.of(m).rows().stream()
                .filter(r -> r.path().startsWith("block12/") || r.path().startsWith("block13/"))
                .mapToLong(Summary.Row::macs).sum();
        return Exercise.measure("the last two blocks' share of the MACs, in %", 100.0 * last / m.macs(), 0.1,
                Range.PERCENT, "sum the macs() of the rows whose path starts with block12/ or block13/, over macs().");
    }

    /** The widest α of 0.25, 0.5, 0.75 and 1 whose MobileNet v1 at 224×224 fits a budget of MACs. */
    public static Exercise widestAlphaWithin(long budget) {
        return Exercise.measure("the widest α within the budget",
                largest(new double[] {0.25, 0.5, 0.75, 1.0}, a -> Models.mobilenetV1(a, 224).macs() <= budget, "budget",
                        budget), 0, Range.POSITIVE,
                "the MACs go roughly as α² from 569 million at α = 1 (a little above α² when narrow): try each α.");
    }

    /** The largest resolution of 128, 160, 192 and 224 whose MobileNet v1 (α = 1) fits a budget of MACs. */
    public static Exercise largestResolutionWithin(long budget) {
        return Exercise.count("the largest resolution within the budget",
                (long) largest(new double[] {128, 160, 192, 224}, r -> Models.mobilenetV1(1, r.intValue()).macs() <= budget,
                        "budget", budget),
                "the MACs go as ρ², ρ = resolution / 224.");
    }

    // ---- lessons 11 and 12: MobileNetV2, Xception

    /** How many percent fewer MACs MobileNetV2 (α = 1, 224) counts than MobileNet v1, within 0.5 points. */
    public static Exercise v2FewerMacsPercent() {
        double v1 = Models.mobilenetV1(1, 224).macs(), v2 = Models.mobilenetV2(1, 224).macs();
        return Exercise.measure("MobileNetV2's MAC saving over v1, in %", 100 * (1 - v2 / v1), 0.5, Range.PERCENT,
                "Models.mobilenetV2(1, 224).macs() against Models.mobilenetV1(1, 224).macs().");
    }

    /**
     * The expansion t at which an inverted residual block C → N (3×3 depthwise, stride 1) costs as many MACs as a
     * standard 3×3 convolution C → N, within 0.01.
     */
    public static Exercise expansionBreakEven(int c, int n) {
        Shape in = Shape.of(c, 8);
        double standard = Conv2d.of(c, n, 3).padding(1).macs(in);
        // t = 2, halved: every layer of the block scales with t once it has its expansion layer (t = 1 drops it)
        double perT = new InvertedResidual(c, n, 2, 1).macs(in) / 2.0;
        return Exercise.measure("the break-even expansion t", standard / perT, 0.01, Range.POSITIVE,
                "per position the block costs t·C·C + t·C·9 + t·C·N, the standard layer C·N·9: solve for t.");
    }

    // ---- lessons 13 and 14: counted cost vs measured time, where the time goes

    /** How many times more MACs a pointwise C → C layer counts than a depthwise 3×3 layer on C channels. */
    public static Exercise pointwiseOverDepthwise(int c, int h) {
        Shape in = Shape.of(c, h);
        double ratio = (double) PointwiseConv.of(c, c).macs(in) / DepthwiseConv.of(c, 3).padding(1).macs(in);
        return Exercise.measure("the pointwise layer's MACs over the depthwise layer's", ratio, 0.01 * ratio,
                Range.POSITIVE, "per position: C · C against C · 9.");
    }

    /** The arithmetic intensity (FLOPs per byte moved) of a depthwise 3×3 layer on C×H×H, within 2%. */
    public static Exercise depthwiseIntensity(int c, int h) {
        Layer dw = DepthwiseConv.of(c, 3).padding(1);
        Shape in = Shape.of(c, h);
        double intensity = 2.0 * dw.macs(in) / BenchSuite.bytesMoved(dw, in);
        return Exercise.measure("the depthwise layer's FLOPs per byte", intensity, 0.02 * intensity, Range.POSITIVE,
                "2 FLOPs per MAC; bytes = 4 · (input values + output values + weights), each moved once.");
    }

    // ---- lesson 15: an inference engine

    /** The layers of one type (a summary row's type, as torchsummary names it: "BatchNorm2d", "Conv2d", …). */
    public static Exercise layersOfType(Model model, String type) {
        Check.notNull("model", model);
        Check.notNull("type", type);
        long n = Summary.of(model).rows().stream().filter(r -> r.type().equals(type)).count();
        if (n == 0) {
            throw new IllegalArgumentException("type = \"" + type + "\" is not allowed: " + model.name() + " has rows of "
                    + Summary.of(model).rows().stream().map(Summary.Row::type).distinct().toList());
        }
        return Exercise.count("the number of " + type + " layers", n,
                "count the rows of that type in Summary.of(net).rows() — one per layer.");
    }

    /** The residual connections (Add rows) of a network. */
    public static Exercise residualConnections(Model model) {
        Check.notNull("model", model);
        return Exercise.count("the number of residual sums",
                Summary.of(model).rows().stream().filter(r -> r.type().equals("Add")).count(),
                "count the rows of type Add in Summary.of(net), one per shortcut.");
    }

    // ---- lesson 17: dead channels

    /**
     * The parameters that pruning one channel removes from a K×K convolution with C_in inputs and a bias, and from the
     * K×K convolution with N outputs that reads it: the two layers counted with the channel and without it.
     */
    public static Exercise prunedChannelParams(int cIn, int n, int k) {
        int c = 2; // any width: one channel fewer removes the same count
        long with = Conv2d.of(cIn, c, k).bias(true).params() + Conv2d.of(c, n, k).bias(true).params();
        long without = Conv2d.of(cIn, c - 1, k).bias(true).params() + Conv2d.of(c - 1, n, k).bias(true).params();
        return Exercise.count("the parameters pruning one channel removes", with - without,
                "the channel's own filter (C_in · K² weights and its bias) and, in the next layer, the K×K slice "
                        + "each of its N filters keeps for that channel.");
    }

    // ---- lessons 16 and 18: what groups learn, does the shuffle help

    /** The fraction of the pairs of C channels that lie in the same one of g groups, within 0.001. */
    public static Exercise sameGroupPairFraction(int c, int g) {
        Check.divides("g", g, "c", c);
        if (c < 2) throw new IllegalArgumentException("c = " + c + " is not allowed: 2 channels or more make a pair");
        long same = 0, all = 0;
        for (int i = 0; i < c; i++) {
            for (int j = i + 1; j < c; j++) {
                all++;
                if (i / (c / g) == j / (c / g)) same++;
            }
        }
        return Exercise.measure("the fraction of pairs in one group", (double) same / all, 0.001, Range.FRACTION,
                "C(C − 1)/2 pairs in all; each of the g groups has (C/g)(C/g − 1)/2 of its own.");
    }

    /**
     * How many of the g × g (input group, output group) pairs two stacked 1×1 group convolutions on C channels leave
     * unconnected, without a shuffle — measured by perturbing the layers ({@link effconv.nd.Connectivity}).
     */
    public static Exercise isolatedGroupPairs(int c, int g) {
        Check.divides("g", g, "c", c);
        Layer stack = Sequence.of(effconv.layers.GroupedConv.of(c, c, 1, g), effconv.layers.GroupedConv.of(c, c, 1, g));
        double[][] seen = effconv.nd.Connectivity.measure(stack, Shape.of(c, 2), 0);   // [output][input]
        int per = c / g;
        long isolated = 0;
        for (int out = 0; out < g; out++) {
            for (int in = 0; in < g; in++) {
                boolean any = false;
                for (int o = out * per; o < (out + 1) * per && !any; o++) {
                    for (int i = in * per; i < (in + 1) * per && !any; i++) any = seen[o][i] != 0;
                }
                if (!any) isolated++;
            }
        }
        return Exercise.count("the unconnected group pairs", isolated,
                "without a shuffle, output group j reads input group j only, at any depth.");
    }

    /** Lesson 18: how many groups of the layer before a shuffle one group of the grouped layer after it reads. */
    public static Exercise groupsReadAfterShuffle(int c, int g) {
        Check.divides("g", g, "c", c);
        Layer stack = Sequence.of(effconv.layers.GroupedConv.of(c, c, 1, g), new effconv.layers.ChannelShuffle(g),
                effconv.layers.GroupedConv.of(c, c, 1, g));
        double[][] seen = effconv.nd.Connectivity.measure(stack, Shape.of(c, 2), 0);   // [output][input]
        int per = c / g;
        long read = 0;
        for (int in = 0; in < g; in++) {   // the input groups output group 0 depends on
            boolean any = false;
            for (int o = 0; o < per && !any; o++) {
                for (int i = in * per; i < (in + 1) * per && !any; i++) any = seen[o][i] != 0;
            }
            if (any) read++;
        }
        return Exercise.count("the groups one group reads after the shuffle", read,
                "after the shuffle, a group of the next layer reads c/g consecutive positions, and position p holds a "
                        + "channel of group p mod g: count the different groups among them.");
    }

    // ---- helpers

    private static void positive(String name, long value) {
        if (value <= 0) throw new IllegalArgumentException(name + " = " + value + " is not allowed: above 0");
    }

    private static Map<String, long[]> fireModules() {
        Map<String, long[]> byModule = new LinkedHashMap<>();
        for (Summary.Row r : Summary.of(Models.squeezenet(227, 0.125)).rows()) {
            if (!r.path().startsWith("fire")) continue;
            long[] sums = byModule.computeIfAbsent(r.path().substring(0, r.path().indexOf('/')), x -> new long[2]);
            sums[0] += r.params();
            sums[1] += r.macs();
        }
        return byModule;
    }

    private static String mostBy(Map<String, long[]> sums, boolean params) {
        return sums.entrySet().stream().max(Comparator.comparingLong(e -> e.getValue()[params ? 0 : 1]))
                .orElseThrow().getKey();
    }

    private static String mostRow(Model model, boolean params) {
        return Summary.of(model).rows().stream()
                .max(Comparator.comparingLong(r -> params ? r.params() : r.macs())).orElseThrow().path();
    }

    private static double largest(double[] candidates, Predicate<Double> fits, String name, long value) {
        positive(name, value);
        double best = Double.NaN;
        for (double c : candidates) if (fits.test(c)) best = c;
        if (Double.isNaN(best)) {
            throw new IllegalArgumentException(name + " = " + value + " is not allowed: even the smallest choice needs more");
        }
        return best;
    }
}
