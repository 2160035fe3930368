package effconv.cli;

import effconv.layers.ChannelShuffle;
import effconv.layers.Conv2d;
import effconv.layers.Counting;
import effconv.layers.DepthwiseConv;
import effconv.layers.Format;
import effconv.layers.GroupedConv;
import effconv.layers.Layer;
import effconv.layers.PointwiseConv;
import effconv.layers.SeparableConv;
import effconv.layers.Shape;
import effconv.models.Model;
import effconv.report.Summary;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./course summary}: the torchsummary-style summary of one layer or a named network, or its JSON.
 * Options are typed: picocli converts each value as it is parsed, and a value that does not convert is refused there
 * ({@link Cli.Refusal}). Bad arguments: a one-line message naming the flag as typed and its value, exit code 2;
 * {@code --help} exits 0.
 */
@Command(name = "./course summary", sortOptions = false, usageHelpAutoWidth = true,
        customSynopsis = {
            "./course summary --layer KIND [options] [--count WHAT] [--json]",
            "       ./course summary --model NAME [options] [--count WHAT] [--json]"},
        description = "Print what one layer or a named network costs: output shapes, parameters, multiply-accumulates "
                + "(MACs) and torchsummary's memory figures.",
        footer = {"", "models: alexnet [--groups 1|2|4], squeezenet [--resolution R], xception,",
            "        mobilenet-v1 [--alpha A] [--resolution R],",
            "        mobilenet-v2 [--alpha A] [--resolution R],",
            "        shufflenet-v1 [--groups 1|2|3|4|8] [--scale S]"})
public final class SummaryCommand implements Callable<Integer> {

    @Option(names = "--layer", paramLabel = "KIND", converter = KindConverter.class, description = "conv, grouped, "
            + "dilated, depthwise, pointwise, separable or shuffle")
    Kind layer;

    // a name, checked against the networks by ModelOption, which says which names there are
    @Option(names = "--model", paramLabel = "NAME", description = "a network by name (see below)")
    String model;

    @Option(names = "--in", paramLabel = "C", converter = Whole.class, description = "input channels")
    Integer in;

    @Option(names = "--out", paramLabel = "N", converter = Whole.class, description = "output channels")
    Integer out;

    @Option(names = "--kernel", paramLabel = "K", converter = Whole.class, description = "kernel size K (a K×K kernel)")
    Integer kernel;

    @Option(names = "--input", paramLabel = "H|HxW", converter = SizeConverter.class, description = "input height "
            + "and width, e.g. 17 or 17x20")
    Size input;

    @Option(names = "--groups", paramLabel = "G", converter = Whole.class, description = "groups (grouped "
            + "convolution, channel shuffle, AlexNet, ShuffleNet)")
    Integer groups;

    @Option(names = "--stride", paramLabel = "S", converter = Whole.class, description = "stride (default: 1)")
    Integer stride;

    @Option(names = "--padding", paramLabel = "P", converter = Whole.class, description = "zero padding on each side "
            + "(default: 0)")
    Integer padding;

    @Option(names = "--dilation", paramLabel = "D", converter = Whole.class, description = "dilation (default: 1)")
    Integer dilation;

    @Option(names = "--multiplier", paramLabel = "M", converter = Whole.class, description = "depthwise channel "
            + "multiplier (default: 1)")
    Integer multiplier;

    @Option(names = "--alpha", paramLabel = "A", converter = Real.class, description = "MobileNet's width multiplier "
            + "(default: 1)")
    Double alpha;

    @Option(names = "--resolution", paramLabel = "R", converter = Whole.class, description = "input resolution of a "
            + "network (default: 224)")
    Integer resolution;

    @Option(names = "--scale", paramLabel = "S", converter = Real.class, description = "ShuffleNet's width scale "
            + "(default: 1)")
    Double scale;

    @Option(names = "--count", paramLabel = "WHAT", converter = CountingConverter.class, description = "bias,"
            + "batchnorm,pooling,activations,additions|all: also count these as MACs (default: only the "
            + "multiply-accumulates of convolutions and fully connected layers, as the papers do)")
    Counting count;

    @Option(names = "--bias", description = "give the layer a bias")
    boolean bias;

    @Option(names = "--json", description = "print one JSON object instead of the table")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    private PrintStream stdout = System.out;

    /** The flags behind the parameter names the library's messages use. */
    private static final Map<String, String> LIBRARY_FLAGS = Map.ofEntries(Map.entry("inChannels", "--in"),
            Map.entry("outChannels", "--out"), Map.entry("channels", "--in"), Map.entry("kernel", "--kernel"),
            Map.entry("stride", "--stride"), Map.entry("padding", "--padding"), Map.entry("dilation", "--dilation"),
            Map.entry("groups", "--groups"), Map.entry("multiplier", "--multiplier"), Map.entry("alpha", "--alpha"),
            Map.entry("resolution", "--resolution"), Map.entry("scale", "--scale"), Map.entry("model", "--model"),
            Map.entry("height", "--input"), Map.entry("width", "--input"));

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        SummaryCommand c = new SummaryCommand();
        c.stdout = out;
        return Cli.prepare(c, "summary", out, err, SummaryCommand::asFlag).execute(args);
    }

    /** "channels = -4 is not allowed: …" becomes "--in -4 is not allowed: …", the way it was typed. */
    static String asFlag(String message) {
        int eq = message.indexOf(" = ");
        if (eq > 0 && LIBRARY_FLAGS.containsKey(message.substring(0, eq))) {
            return LIBRARY_FLAGS.get(message.substring(0, eq)) + " "
                    + message.substring(eq + 3).replaceFirst("^\"([^\"]*)\"", "$1")
                            .replace(" inChannels = ", " --in ").replace(" outChannels = ", " --out ");
        }
        return message;
    }

    @Override
    public Integer call() {
        if ((layer == null) == (model == null)) {
            throw new IllegalArgumentException("give exactly one of --layer or --model (see ./course summary --help)");
        }
        stdout.println(render());
        return 0;
    }

    /** The summary of the network (--model) or layer (--layer) given, as text or JSON. */
    private String render() {
        Counting counting = count == null ? Counting.PAPERS : count;
        Summary s;
        if (model != null) {
            unused("--model", List.of("--model", "--groups", "--alpha", "--resolution", "--scale", "--count",
                    "--json"));
            s = Summary.of(ModelOption.byName(model, groups, alpha, resolution, scale), counting);
        } else {
            Shape shape = shape();
            s = Summary.of(layer(), shape, counting);
        }
        if (json) {
            return s.toJson();
        }
        return (s.model() == null ? "" : s.model() + "\n") + s + "Total mult-adds (MACs): " + Format.count(s.totalMacs()) + "\n";
    }

    /** The kinds of layer {@code --layer} takes, by the names typed. */
    enum Kind {
        CONV, GROUPED, DILATED, DEPTHWISE, POINTWISE, SEPARABLE, SHUFFLE;

        /** The name typed: "conv". */
        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The layer of the given kind from its flags; a flag the kind does not take is refused, named as typed. */
    private Layer layer() {
        String kind = layer.label();
        return switch (layer) {
            case CONV -> {
                unused(kind, List.of("--layer", "--in", "--out", "--kernel", "--input", "--groups", "--stride",
                        "--padding", "--dilation", "--bias", "--count", "--json"));
                yield new Conv2d(req(in, "--in"), req(out, "--out"), req(kernel, "--kernel"), opt(stride, 1),
                        opt(padding, 0), opt(dilation, 1), opt(groups, 1), bias);
            }
            case DILATED -> {
                unused(kind, List.of("--layer", "--in", "--out", "--kernel", "--input", "--dilation", "--stride",
                        "--padding", "--bias", "--count", "--json"));
                yield new Conv2d(req(in, "--in"), req(out, "--out"), req(kernel, "--kernel"), opt(stride, 1),
                        opt(padding, 0), req(dilation, "--dilation"), 1, bias);
            }
            case GROUPED -> {
                unused(kind, List.of("--layer", "--in", "--out", "--kernel", "--input", "--groups", "--stride",
                        "--padding", "--bias", "--count", "--json"));
                yield new GroupedConv(req(in, "--in"), req(out, "--out"), req(kernel, "--kernel"), opt(stride, 1),
                        opt(padding, 0), req(groups, "--groups"), bias);
            }
            case DEPTHWISE -> {
                unused(kind, List.of("--layer", "--in", "--kernel", "--input", "--multiplier", "--stride",
                        "--padding", "--dilation", "--bias", "--count", "--json"));
                yield new DepthwiseConv(req(in, "--in"), opt(multiplier, 1), req(kernel, "--kernel"), opt(stride, 1),
                        opt(padding, 0), opt(dilation, 1), bias);
            }
            case POINTWISE -> {
                unused(kind, List.of("--layer", "--in", "--out", "--input", "--bias", "--count", "--json"));
                yield new PointwiseConv(req(in, "--in"), req(out, "--out"), bias);
            }
            case SEPARABLE -> {
                unused(kind, List.of("--layer", "--in", "--out", "--kernel", "--input", "--stride", "--padding",
                        "--dilation", "--bias", "--count", "--json"));
                yield new SeparableConv(req(in, "--in"), req(out, "--out"), req(kernel, "--kernel"), opt(stride, 1),
                        opt(padding, 0), opt(dilation, 1), bias);
            }
            case SHUFFLE -> {
                unused(kind, List.of("--layer", "--in", "--groups", "--input", "--count", "--json"));
                req(in, "--in");
                yield new ChannelShuffle(req(groups, "--groups"));
            }
        };
    }

    /** The first option given that {@code what} does not take, in the order typed, is refused. */
    private void unused(String what, List<String> allowed) {
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!allowed.contains(o.longestName())) {
                throw new IllegalArgumentException(o.longestName() + " is not allowed with " + what + " (allowed: "
                        + String.join(" ", allowed) + ")");
            }
        }
    }

    private Shape shape() {
        if (input == null) {
            throw new IllegalArgumentException("--input is required (H or HxW)");
        }
        return Shape.of(req(in, "--in"), input.height(), input.width());
    }

    private int req(Integer value, String flag) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " is required for --layer " + layer.label());
        }
        return value;
    }

    private static int opt(Integer value, int dflt) {
        return value != null ? value : dflt;
    }

    /** A layer's input height and width, as {@code --input} takes them: "17" (square) or "17x20". */
    record Size(int height, int width) {
    }

    // Converters: each turns the text typed into its type or refuses it with what is allowed; picocli names the flag.

    static final class Whole implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new Cli.Refusal(v, "give a whole number");
            }
        }
    }

    static final class Real implements ITypeConverter<Double> {
        @Override
        public Double convert(String v) {
            try {
                double d = Double.parseDouble(v);
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // refused below, as a value that is not finite is
            }
            throw new Cli.Refusal(v, "give a number");
        }
    }

    static final class KindConverter implements ITypeConverter<Kind> {
        @Override
        public Kind convert(String v) {
            for (Kind k : Kind.values()) {
                if (k.label().equals(v)) {
                    return k;
                }
            }
            throw new Cli.Refusal(v, "choose conv, grouped, dilated, depthwise, pointwise, separable or shuffle");
        }
    }

    static final class SizeConverter implements ITypeConverter<Size> {
        @Override
        public Size convert(String v) {
            String[] hw = v.toLowerCase(Locale.ROOT).split("x", -1);
            try {
                if (hw.length <= 2) {
                    int h = Integer.parseInt(hw[0].trim());
                    return new Size(h, hw.length == 2 ? Integer.parseInt(hw[1].trim()) : h);
                }
            } catch (NumberFormatException e) {
                // refused below, as a third dimension is
            }
            throw new Cli.Refusal(v, "give H or HxW, e.g. 17 or 17x20");
        }
    }

    /** "bias,batchnorm": what is counted as MACs besides the papers' convolutions and fully connected layers. */
    static final class CountingConverter implements ITypeConverter<Counting> {
        @Override
        public Counting convert(String v) {
            Counting c = Counting.PAPERS;
            for (String part : v.split(",")) {
                switch (part.trim()) {
                    case "all" -> c = Counting.EVERYTHING;
                    case "bias" -> c = c.withBias(true);
                    case "batchnorm", "bn" -> c = c.withBatchNorm(true);
                    case "pooling", "pool" -> c = c.withPooling(true);
                    case "activations", "relu" -> c = c.withActivations(true);
                    case "additions", "add" -> c = c.withAdditions(true);
                    // the part at fault is named, as typed among the others
                    default -> throw new Cli.Refusal(part.trim(), "choose from bias, batchnorm, pooling, activations, "
                            + "additions, all");
                }
            }
            return c;
        }
    }
}
