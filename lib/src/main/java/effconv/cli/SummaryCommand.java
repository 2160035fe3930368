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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./course summary}: the torchsummary-style summary of one layer or a named network, or its JSON.
 * Bad arguments: a one-line message naming the flag as typed and its value, exit code 2; {@code --help} exits 0.
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

    // Values are kept as typed: render() checks them, so every message quotes the flag and the value as given.
    @Option(names = "--layer", paramLabel = "KIND", description = "conv, grouped, dilated, depthwise, pointwise, "
            + "separable or shuffle")
    String layer;

    @Option(names = "--model", paramLabel = "NAME", description = "a network by name (see below)")
    String model;

    @Option(names = "--in", paramLabel = "C", description = "input channels")
    String in;

    @Option(names = "--out", paramLabel = "N", description = "output channels")
    String out;

    @Option(names = "--kernel", paramLabel = "K", description = "kernel size K (a K×K kernel)")
    String kernel;

    @Option(names = "--input", paramLabel = "H|HxW", description = "input height and width, e.g. 17 or 17x20")
    String input;

    @Option(names = "--groups", paramLabel = "G", description = "groups (grouped convolution, channel shuffle, "
            + "AlexNet, ShuffleNet)")
    String groups;

    @Option(names = "--stride", paramLabel = "S", description = "stride (default: 1)")
    String stride;

    @Option(names = "--padding", paramLabel = "P", description = "zero padding on each side (default: 0)")
    String padding;

    @Option(names = "--dilation", paramLabel = "D", description = "dilation (default: 1)")
    String dilation;

    @Option(names = "--multiplier", paramLabel = "M", description = "depthwise channel multiplier (default: 1)")
    String multiplier;

    @Option(names = "--alpha", paramLabel = "A", description = "MobileNet's width multiplier (default: 1)")
    String alpha;

    @Option(names = "--resolution", paramLabel = "R", description = "input resolution of a network (default: 224)")
    String resolution;

    @Option(names = "--scale", paramLabel = "S", description = "ShuffleNet's width scale (default: 1)")
    String scale;

    @Option(names = "--count", paramLabel = "WHAT", description = "bias,batchnorm,pooling,activations,additions|all: "
            + "also count these as MACs (default: only the multiply-accumulates of convolutions and fully connected "
            + "layers, as the papers do)")
    String count;

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
        stdout.println(render(given()));
        return 0;
    }

    /** The options given, as typed, in the order they were given (render's checks name the first misfit). */
    private Map<String, String> given() {
        Map<String, String> a = new LinkedHashMap<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            a.put(o.longestName(), o.typeInfo().isBoolean() ? "true" : o.getValue());
        }
        if (a.containsKey("--layer") == a.containsKey("--model")) {
            throw new IllegalArgumentException("give exactly one of --layer or --model (see ./course summary --help)");
        }
        return a;
    }

    /** The summary of the network (--model) or layer (--layer) given, as text or JSON. */
    static String render(Map<String, String> a) {
        Counting counting = counting(a.get("--count"));
        Summary s;
        if (a.containsKey("--model")) {
            unused(a, "--model", List.of("--model", "--groups", "--alpha", "--resolution", "--scale", "--count",
                    "--json"));
            Model m = ModelOption.byName(a.get("--model"), optInt(a, "--groups"), optDouble(a, "--alpha"),
                    optInt(a, "--resolution"), optDouble(a, "--scale"));
            s = Summary.of(m, counting);
        } else {
            String kind = a.get("--layer");
            if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException("--layer " + kind + " is not allowed: choose conv, "
                        + "grouped, dilated, depthwise, pointwise, separable or shuffle");
            }
            Shape input = input(a);
            s = Summary.of(layer(kind, a), input, counting);
        }
        if (a.containsKey("--json")) {
            return s.toJson();
        }
        return (s.model() == null ? "" : s.model() + "\n") + s + "Total mult-adds (MACs): " + Format.count(s.totalMacs()) + "\n";
    }

    /** The layer of the given kind from its flags; a flag the kind does not take is refused, named as typed. */
    private static Layer layer(String kind, Map<String, String> a) {
        return switch (kind) {
            case "conv" -> {
                unused(a, kind, List.of("--layer", "--in", "--out", "--kernel", "--input", "--groups", "--stride",
                        "--padding", "--dilation", "--bias", "--count", "--json"));
                yield new Conv2d(req(a, "--in"), req(a, "--out"), req(a, "--kernel"), opt(a, "--stride", 1),
                        opt(a, "--padding", 0), opt(a, "--dilation", 1), opt(a, "--groups", 1), a.containsKey("--bias"));
            }
            case "dilated" -> {
                unused(a, kind, List.of("--layer", "--in", "--out", "--kernel", "--input", "--dilation", "--stride",
                        "--padding", "--bias", "--count", "--json"));
                yield new Conv2d(req(a, "--in"), req(a, "--out"), req(a, "--kernel"), opt(a, "--stride", 1),
                        opt(a, "--padding", 0), req(a, "--dilation"), 1, a.containsKey("--bias"));
            }
            case "grouped" -> {
                unused(a, kind, List.of("--layer", "--in", "--out", "--kernel", "--input", "--groups", "--stride",
                        "--padding", "--bias", "--count", "--json"));
                yield new GroupedConv(req(a, "--in"), req(a, "--out"), req(a, "--kernel"), opt(a, "--stride", 1),
                        opt(a, "--padding", 0), req(a, "--groups"), a.containsKey("--bias"));
            }
            case "depthwise" -> {
                unused(a, kind, List.of("--layer", "--in", "--kernel", "--input", "--multiplier", "--stride",
                        "--padding", "--dilation", "--bias", "--count", "--json"));
                yield new DepthwiseConv(req(a, "--in"), opt(a, "--multiplier", 1), req(a, "--kernel"),
                        opt(a, "--stride", 1), opt(a, "--padding", 0), opt(a, "--dilation", 1), a.containsKey("--bias"));
            }
            case "pointwise" -> {
                unused(a, kind, List.of("--layer", "--in", "--out", "--input", "--bias", "--count", "--json"));
                yield new PointwiseConv(req(a, "--in"), req(a, "--out"), a.containsKey("--bias"));
            }
            case "separable" -> {
                unused(a, kind, List.of("--layer", "--in", "--out", "--kernel", "--input", "--stride", "--padding",
                        "--dilation", "--bias", "--count", "--json"));
                yield new SeparableConv(req(a, "--in"), req(a, "--out"), req(a, "--kernel"), opt(a, "--stride", 1),
                        opt(a, "--padding", 0), opt(a, "--dilation", 1), a.containsKey("--bias"));
            }
            case "shuffle" -> {
                unused(a, kind, List.of("--layer", "--in", "--groups", "--input", "--count", "--json"));
                req(a, "--in");
                yield new ChannelShuffle(req(a, "--groups"));
            }
            default -> throw new AssertionError(kind); // KINDS is checked by render
        };
    }

    private static final List<String> KINDS = List.of("conv", "grouped", "dilated", "depthwise", "pointwise",
            "separable", "shuffle");

    static Counting counting(String v) {
        if (v == null) {
            return Counting.PAPERS;
        }
        Counting c = Counting.PAPERS;
        for (String part : v.split(",")) {
            switch (part.trim()) {
                case "all" -> c = Counting.EVERYTHING;
                case "bias" -> c = c.withBias(true);
                case "batchnorm", "bn" -> c = c.withBatchNorm(true);
                case "pooling", "pool" -> c = c.withPooling(true);
                case "activations", "relu" -> c = c.withActivations(true);
                case "additions", "add" -> c = c.withAdditions(true);
                default -> throw new IllegalArgumentException("--count " + part.trim() + " is not allowed: "
                        + "choose from bias, batchnorm, pooling, activations, additions, all");
            }
        }
        return c;
    }

    private static void unused(Map<String, String> a, String what, List<String> allowed) {
        for (String k : a.keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException(k + " is not allowed with " + what + " (allowed: "
                        + String.join(" ", allowed) + ")");
            }
        }
    }

    private static Shape input(Map<String, String> a) {
        String v = a.get("--input");
        if (v == null) {
            throw new IllegalArgumentException("--input is required (H or HxW)");
        }
        String[] hw = v.toLowerCase(java.util.Locale.ROOT).split("x", -1);
        if (hw.length > 2) {
            throw new IllegalArgumentException("--input " + v + " is not allowed: give H or HxW, e.g. 17 or 17x20");
        }
        int h = number("--input", hw[0]);
        int w = hw.length == 2 ? number("--input", hw[1]) : h;
        return Shape.of(req(a, "--in"), h, w);
    }

    private static int req(Map<String, String> a, String k) {
        if (!a.containsKey(k)) {
            throw new IllegalArgumentException(k + " is required for --layer " + a.get("--layer"));
        }
        return number(k, a.get(k));
    }

    private static int opt(Map<String, String> a, String k, int dflt) {
        return a.containsKey(k) ? number(k, a.get(k)) : dflt;
    }

    private static Integer optInt(Map<String, String> a, String k) {
        return a.containsKey(k) ? number(k, a.get(k)) : null;
    }

    private static Double optDouble(Map<String, String> a, String k) {
        if (!a.containsKey(k)) {
            return null;
        }
        try {
            double d = Double.parseDouble(a.get(k));
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(k + " " + a.get(k) + " is not allowed: give a number");
        }
    }

    private static int number(String k, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(k + " " + v + " is not allowed: give a whole number");
        }
    }
}
