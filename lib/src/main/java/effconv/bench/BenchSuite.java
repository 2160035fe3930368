package effconv.bench;

import effconv.fused.FusedNet;
import effconv.layers.ChannelShuffle;
import effconv.layers.Check;
import effconv.layers.Conv2d;
import effconv.layers.DepthwiseConv;
import effconv.layers.Format;
import effconv.layers.GroupedConv;
import effconv.layers.Layer;
import effconv.layers.PointwiseConv;
import effconv.layers.SeparableConv;
import effconv.layers.Shape;
import effconv.models.Model;
import effconv.models.Models;
import effconv.nd.NdLayer;
import effconv.runtime.Tensors;
import effconv.report.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The course's fixed benchmark: the torchsummary blog post's five layers, the AlexNet-conv2-like grouped sweep of lesson 5, the
 * channel shuffle of lesson 7 and two whole networks, each timed with {@link Bench} (warm-up, then the median of
 * repeated runs). {@code bench/pytorch_bench.py} runs the same cases, by the same names, in PyTorch.
 */
public final class BenchSuite {
    private BenchSuite() {
    }

    /** One case: a layer (or network) spec and its input. */
    public record Case(String name, String kind, Layer layer, Shape input) {
        public Case {
            Check.notNull("name", name);
            Check.notNull("layer", layer);
            Check.notNull("input", input);
            layer.outputShape(input);
        }

        /** Multiply-adds as the papers count them (convolutions and fully connected layers). */
        public long macs() {
            return layer.macs(input);
        }

        /**
         * The bytes a single layer must at least move: its input, its output and its weights, once each, 4 bytes a
         * float. (A network moves its intermediate maps too, so for one this is a lower bound only.)
         */
        public long bytes() {
            return bytesMoved(layer, input);
        }
    }

    /** A timed case: its name, kind, counted multiply-adds and timing. */
    public record Result(String name, String kind, long macs, Bench.Timing timing) {
        /** Achieved arithmetic rate: 2 floating-point operations per multiply-add. */
        public double gflops() {
            return 2.0 * macs / (timing.medianMs() * 1e6);
        }
    }

    /**
     * The bytes {@code layer} must at least move on {@code input}: its input, its output and its weights, once each,
     * 4 bytes a float — the denominator of arithmetic intensity (roofline) and of a layer kind's bandwidth (breakdown).
     */
    public static long bytesMoved(Layer layer, Shape input) {
        return 4 * (input.numel() + layer.outputShape(input).numel() + layer.params());
    }

    /** Group counts of the grouped sweep (96 → 256 channels, K = 5, 27×27, padding 2: AlexNet's conv2). */
    public static final int[] GROUPS = {1, 2, 4, 8, 16, 32};

    /** The suite counted: each case's kind, MACs and parameters (exact, the same on every machine). */
    public static tech.tablesaw.api.Table counted(List<Case> suite) {
        effconv.report.Rows rows = effconv.report.Rows.of("The benchmark suite, counted", "case", "kind", "MACs", "params");
        for (Case c : suite) rows.add(c.name(), c.kind(), c.macs(), c.layer().params());
        return rows.table();
    }

    /** The fixed suite, in the order it is printed. */
    public static List<Case> cases() {
        Shape seed = Shape.of(100, 17);
        List<Case> c = new ArrayList<>();
        c.add(new Case("standard K=3", "standard", Conv2d.of(100, 1000, 3), seed));
        c.add(new Case("standard K=7", "standard", Conv2d.of(100, 1000, 7), seed));
        c.add(new Case("depthwise K=3", "depthwise", DepthwiseConv.of(100, 3), seed));
        c.add(new Case("pointwise", "pointwise", PointwiseConv.of(100, 1000), seed));
        c.add(new Case("separable K=3", "separable", SeparableConv.of(100, 1000, 3), seed));
        for (int g : GROUPS) {
            c.add(new Case("grouped g=" + g, "grouped", GroupedConv.of(96, 256, 5, g).padding(2), Shape.of(96, 27)));
        }
        c.add(new Case("shuffle g=3", "shuffle", new ChannelShuffle(3), Shape.of(240, 28)));
        Model mobilenet = Models.mobilenetV1(1.0, 224);
        c.add(new Case("mobilenet-v1", "network", mobilenet.body(), mobilenet.input()));
        Model shufflenet = Models.shufflenetV1(3, 1.0);
        c.add(new Case("shufflenet-v1 g=3", "network", shufflenet.body(), shufflenet.input()));
        return List.copyOf(c);
    }

    /**
     * Cases {@code ./course bench} times beyond the lessons' suite: MobileNetV2, whose residual additions the fused
     * path turns into sum post-ops (the third network goal).
     */
    public static List<Case> extraCases() {
        Model v2 = Models.mobilenetV2(1.0, 224);
        return List.of(new Case("mobilenet-v2", "network", v2.body(), v2.input()));
    }

    /** The case of that name, in the suite or among the extra cases. */
    public static Case named(String name) {
        List<Case> all = new ArrayList<>(cases());
        all.addAll(extraCases());
        return all.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("name = \"" + name + "\" is not allowed: the suite has "
                        + all.stream().map(Case::name).toList()));
    }

    /** Times one case on seeded weights and input; the forward pass reuses its buffers, as inference engines do. */
    public static Result run(Case c, double warmupSeconds, double measureSeconds) {
        return run(c, Bench::time, warmupSeconds, measureSeconds);
    }

    /** {@link #run(Case, double, double)}, timed by {@code timer}. */
    public static Result run(Case c, Bench.Timer timer, double warmupSeconds, double measureSeconds) {
        NdLayer layer = NdLayer.init(c.layer(), 0);
        INDArray x = Tensors.random(c.input(), 1);
        return new Result(c.name(), c.kind(), c.macs(),
                timer.time(c.name(), () -> layer.run(x), warmupSeconds, measureSeconds));
    }

    /**
     * Times one case through the fused oneDNN path: {@code net}, compiled by {@link #fused} before timing as an
     * inference engine would, with the same seeded weights and input as {@link #run(Case, double, double)}, timed by
     * {@code timer} (the caller keeps the network, to ask it which kernels ran).
     */
    public static Result runFused(Case c, FusedNet net, Bench.Timer timer, double warmupSeconds,
                                  double measureSeconds) {
        INDArray nchw = Tensors.random(c.input(), 1);
        INDArray x = net.isChannelsLast() ? nchw.permute(0, 2, 3, 1).dup('c') : nchw;
        return new Result(c.name(), c.kind(), c.macs(),
                timer.time(c.name() + " (fused)", () -> net.run(x), warmupSeconds, measureSeconds));
    }

    /**
     * A case compiled as it is timed: tuned (each grouped or depthwise convolution's candidates timed, the fastest
     * kept), and a grouped convolution taking and returning channels-last arrays, as its goal compares it with
     * PyTorch's {@code channels_last} mode (neither side then reorders its input or output). Its
     * {@link FusedNet#kernels()} name the oneDNN kernels that ran, which explain a time.
     */
    public static FusedNet fused(Case c) {
        FusedNet net = FusedNet.compile(c.layer(), c.input(), 0).tuned();
        net = c.kind().equals("grouped") ? net.channelsLast() : net;
        net.primitiveCount(); // the options' plan is built (and tuned) when first needed: here, not in the warm-up
        return net;
    }

    /** Times every case. */
    public static List<Result> run(List<Case> cases, double warmupSeconds, double measureSeconds) {
        List<Result> out = new ArrayList<>();
        for (Case c : cases) {
            out.add(run(c, warmupSeconds, measureSeconds));
        }
        return out;
    }

    /**
     * The machine's practical arithmetic peak: a 1024×1024 single-precision matrix product (ND4J's BLAS),
     * in GFLOP/s — what a convolution could reach at best; timed by {@code timer}.
     */
    public static Result matmulPeak(Bench.Timer timer, double warmupSeconds, double measureSeconds) {
        return matmul(1024, timer, warmupSeconds, measureSeconds);
    }

    private static Result matmul(int n, Bench.Timer timer, double warmupSeconds, double measureSeconds) {
        INDArray a = Tensors.uniform(new long[] {n, n}, 1, 1);
        INDArray b = Tensors.uniform(new long[] {n, n}, 1, 2);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, n, n);
        String name = "matmul " + n;
        Bench.Timing t = timer.time(name, () -> Nd4j.gemm(a, b, out, false, false, 1.0, 0.0), warmupSeconds,
                measureSeconds);
        return new Result(name, "matmul", (long) n * n * n, t);
    }

    /**
     * The best of large matrix products (1024 and 1536 square, ND4J's BLAS): the practical limit, the rate a
     * well-tuned kernel reaches on this machine, which the measured FMA peak should exceed by little. Not 2048: its
     * rate is within a few per cent of 1536's, and at ~90 ms a run a lesson's measuring budget gives it too few runs
     * for a median it can trust.
     */
    public static Result bestMatmul(double warmupSeconds, double measureSeconds) {
        Result best = null;
        for (int n : new int[] {1024, 1536}) {
            Result r = matmul(n, Bench::time, warmupSeconds, measureSeconds);
            if (best == null || r.gflops() > best.gflops()) {
                best = r;
            }
        }
        return best;
    }

    /** The results as a table: median, spread, counted MACs, achieved GFLOP/s and whether to trust each. */
    public static Table table(List<Result> results) {
        return table(results, null);
    }

    /**
     * The results as a table, each rate also checked against {@code machine}'s measured peak: the "check" column says
     * "ok", or why a measurement is not to be trusted (a busy machine, a wide spread, a rate above the peak and which
     * figure is wrong).
     */
    public static Table table(List<Result> results, Machine machine) {
        Table t = Table.create("Measured forward time (batch 1, this machine, this run)");
        t.addColumns(StringColumn.create("Case"), LongColumn.create("MACs"), DoubleColumn.create("Median ms"),
                DoubleColumn.create("p10 ms"), DoubleColumn.create("p90 ms"), DoubleColumn.create("GFLOP/s"),
                StringColumn.create("check"));
        for (Result r : results) {
            t.stringColumn(0).append(r.name());
            t.longColumn(1).append(r.macs());
            t.doubleColumn(2).append(Format.round(r.timing().medianMs(), 3));
            t.doubleColumn(3).append(Format.round(r.timing().p10Ms(), 3));
            t.doubleColumn(4).append(Format.round(r.timing().p90Ms(), 3));
            t.doubleColumn(5).append(Format.round(r.gflops(), 1));
            t.stringColumn(6).append(check(r, machine));
        }
        return t;
    }

    /** "ok", or what speaks against a result: its timing's doubts and a rate above the machine's peak. */
    public static String check(Result r, Machine machine) {
        List<String> d = new ArrayList<>(r.timing().doubts());
        String rate = machine == null ? null : machine.rateProblem(r.gflops(), r.timing());
        if (rate != null) {
            d.add(rate);
        }
        return d.isEmpty() ? "ok" : String.join("; ", d);
    }

    /**
     * Both paths and the machine, for {@code bench/compare.py}: the ND4J path's results, then the fused path's, each
     * with {@code "path"} and its {@code "check"}; then {@code {"name": "machine", "cpu", "peak_gflops", "threads",
     * "other_cpus"}}, where other_cpus is how many CPUs other processes used during the whole run.
     */
    public static String toJson(List<Result> nd4j, List<Result> fused, Machine machine,
                                java.util.Map<String, String> kernels, double otherCpus) {
        ArrayNode a = Json.array();
        for (List<Result> rs : List.of(nd4j, fused)) {
            for (Result r : rs) {
                var o = a.addObject().put("name", r.name()).put("path", rs == nd4j ? "nd4j" : "fused")
                        .put("macs", r.macs())
                        .put("median_ms", Format.round(r.timing().medianMs(), 4))
                        .put("p10_ms", Format.round(r.timing().p10Ms(), 4))
                        .put("p90_ms", Format.round(r.timing().p90Ms(), 4))
                        .put("check", check(r, machine))
                        .put("attempts", r.timing().attempts());
                if (rs == fused && kernels.containsKey(r.name())) {
                    o.put("kernel", kernels.get(r.name()));
                }
            }
        }
        if (machine != null) {
            var m = a.addObject().put("name", "machine").put("path", "machine").put("cpu", machine.toString())
                    .put("threads", machine.threads());
            if (machine.measured()) {
                m.put("peak_gflops", Format.round(machine.peakGflops(), 1));
            }
            if (!Double.isNaN(otherCpus)) {
                m.put("other_cpus", Format.round(otherCpus, 2));
            }
        }
        return Json.pretty(a);
    }
}
