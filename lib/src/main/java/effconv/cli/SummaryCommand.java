package effconv.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import effconv.Conv2d;
import effconv.Counting;
import effconv.DepthwiseConv;
import effconv.GroupedConv;
import effconv.ChannelShuffle;
import effconv.Layer;
import effconv.Model;
import effconv.Models;
import effconv.PointwiseConv;
import effconv.SeparableConv;
import effconv.Shape;
import effconv.Summary;

/**
 * {@code ./course summary}: the torchsummary-style summary of one layer or a named network, or its JSON.
 * Bad arguments: a one-line message naming the argument, exit code 2.
 */
public final class SummaryCommand {

    static final String USAGE = """
            usage: ./course summary --layer conv|grouped|dilated|depthwise|pointwise|separable|shuffle [options] [--json]
                   ./course summary --model NAME [--groups G] [--alpha A] [--resolution R] [--scale S] [--json]
              --in C  --out N  --kernel K  --input H|HxW  --groups G  --stride S  --padding P  --dilation D
              --multiplier M  --bias
              --count bias,batchnorm,pooling,activations,additions|all   also count these as MACs (default: only
                      the multiply-accumulates of convolutions and fully connected layers, as the papers do)
              models: alexnet [--groups 1|2|4], squeezenet [--resolution R], xception,
                      mobilenet-v1 [--alpha A] [--resolution R], mobilenet-v2 [--alpha A] [--resolution R],
                      shufflenet-v1 [--groups 1|2|3|4|8] [--scale S]""";

    private static final List<String> FLAGS = List.of("--json", "--bias");
    private static final List<String> OPTIONS = List.of("--layer", "--model", "--in", "--out", "--kernel", "--input",
            "--groups", "--stride", "--padding", "--dilation", "--multiplier", "--alpha", "--resolution", "--scale",
            "--count");

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            out.println(render(parse(args)));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("summary: " + e.getMessage());
            return 2;
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (k.equals("--help") || k.equals("-h")) {
                throw new IllegalArgumentException("\n" + USAGE);
            }
            if (FLAGS.contains(k)) {
                a.put(k, "true");
            } else if (OPTIONS.contains(k)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(k + " needs a value");
                }
                if (a.put(k, args[++i]) != null) {
                    throw new IllegalArgumentException(k + " is given twice");
                }
            } else {
                throw new IllegalArgumentException("unknown argument \"" + k + "\" (see ./course summary --help)");
            }
        }
        if (a.containsKey("--layer") == a.containsKey("--model")) {
            throw new IllegalArgumentException("give exactly one of --layer or --model (see ./course summary --help)");
        }
        return a;
    }

    static String render(Map<String, String> a) {
        boolean json = a.containsKey("--json");
        Counting counting = counting(a.get("--count"));
        if (a.containsKey("--model")) {
            unused(a, "--model", List.of("--model", "--groups", "--alpha", "--resolution", "--scale", "--count",
                    "--json"));
            Model m = Models.byName(a.get("--model"), optInt(a, "--groups"), optDouble(a, "--alpha"),
                    optInt(a, "--resolution"), optDouble(a, "--scale"));
            Summary s = m.summary(counting);
            return json ? m.toJson(counting)
                    : m.name() + "\n" + s + "Total mult-adds (MACs): " + Summary.thousands(s.totalMacs()) + "\n";
        }
        String kind = a.get("--layer");
        Shape input = input(a);
        Layer layer = switch (kind) {
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
                yield new GroupedConv(req(a, "--in"), req(a, "--out"), req(a, "--kernel"), req(a, "--groups"),
                        opt(a, "--stride", 1), opt(a, "--padding", 0), a.containsKey("--bias"));
            }
            case "depthwise" -> {
                unused(a, kind, List.of("--layer", "--in", "--kernel", "--input", "--multiplier", "--stride",
                        "--padding", "--dilation", "--bias", "--count", "--json"));
                yield new DepthwiseConv(req(a, "--in"), req(a, "--kernel"), opt(a, "--multiplier", 1),
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
            default -> throw new IllegalArgumentException("--layer \"" + kind + "\" is not allowed: choose conv, "
                    + "grouped, dilated, depthwise, pointwise, separable or shuffle");
        };
        Summary s = Summary.of(layer, input, counting);
        return json ? s.toJson() : s + "Total mult-adds (MACs): " + Summary.thousands(s.totalMacs()) + "\n";
    }

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
                default -> throw new IllegalArgumentException("--count \"" + part.trim() + "\" is not allowed: "
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
            throw new IllegalArgumentException("--input \"" + v + "\" is not allowed: give H or HxW, e.g. 17 or 17x20");
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
            throw new IllegalArgumentException(k + " \"" + a.get(k) + "\" is not allowed: give a number");
        }
    }

    private static int number(String k, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(k + " \"" + v + "\" is not allowed: give a whole number");
        }
    }
}
