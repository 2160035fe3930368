package effconv.train;

import effconv.layers.Check;
import effconv.report.Compare;
import effconv.report.Course;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The committed results of a training sweep ({@code data/training-<net>.csv}, made by {@code tools/train_sweep.py}
 * with {@code ./course train}; every row carries the command that made it), grouped by configuration: the seeds of
 * one network side by side, with their mean and spread.
 */
public final class Sweep {

    /** One run, as its CSV row recorded it. */
    public record Run(TinyNet net, long seed, long params, long macs, double accuracy, double secondsPerEpoch,
                      double corrWithin, double corrBetween, int deadChannels, int reluChannels, double prunedAccuracy,
                      long prunedParams, long prunedMacs, String command) {
    }

    /** The runs of one network, one per seed. */
    public record Config(TinyNet net, List<Run> runs) {
        public double mean(ToDoubleFunction<Run> f) {
            return runs.stream().mapToDouble(f).average().orElse(Double.NaN);
        }

        public double min(ToDoubleFunction<Run> f) {
            return runs.stream().mapToDouble(f).min().orElse(Double.NaN);
        }

        public double max(ToDoubleFunction<Run> f) {
            return runs.stream().mapToDouble(f).max().orElse(Double.NaN);
        }
    }

    private final String name;
    private final List<Config> configs;

    private Sweep(String name, List<Config> configs) {
        this.name = name;
        this.configs = List.copyOf(configs);
    }

    /** The sweep of {@code shufflenet-tiny} or {@code alexnet-tiny}. */
    public static Sweep load(String net) {
        Check.notNull("net", net);
        if (!TinyNet.NAMES.contains(net)) {
            throw new IllegalArgumentException("net = \"" + net + "\" is not allowed: choose one of " + TinyNet.NAMES);
        }
        Path file = Course.home().resolve("data").resolve("training-" + net + ".csv");
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> head = List.of(lines.get(0).split(","));
        Map<TinyNet, List<Run>> by = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            java.util.function.Function<String, String> col = c -> f[head.indexOf(c)];
            TinyNet tiny = new TinyNet(col.apply("net"), Integer.parseInt(col.apply("groups")),
                    Boolean.parseBoolean(col.apply("shuffle")), Boolean.parseBoolean(col.apply("bn")),
                    Boolean.parseBoolean(col.apply("width_match")));
            Run r = new Run(tiny, Long.parseLong(col.apply("seed")), Long.parseLong(col.apply("params")),
                    Long.parseLong(col.apply("macs")), Double.parseDouble(col.apply("test_accuracy")),
                    Double.parseDouble(col.apply("seconds_per_epoch")), num(col.apply("corr_within")),
                    num(col.apply("corr_between")), Integer.parseInt(col.apply("dead_channels")),
                    Integer.parseInt(col.apply("relu_channels")), num(col.apply("pruned_accuracy")),
                    (long) num(col.apply("pruned_params")), (long) num(col.apply("pruned_macs")), col.apply("command"));
            by.computeIfAbsent(tiny, k -> new ArrayList<>()).add(r);
        }
        List<Config> cs = new ArrayList<>();
        by.forEach((k, v) -> cs.add(new Config(k, v)));
        return new Sweep(net, cs);
    }

    private static double num(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    public List<Config> configs() {
        return configs;
    }

    /** The configurations that pass the filter, e.g. {@code where(n -> n.batchNorm() && !n.widthMatch())}. */
    public Sweep where(Predicate<TinyNet> filter) {
        return new Sweep(name, configs.stream().filter(c -> filter.test(c.net())).toList());
    }

    /** All runs, one per row of the CSV. */
    public List<Run> runs() {
        return configs.stream().flatMap(c -> c.runs().stream()).toList();
    }

    public int[] groups() {
        return configs.stream().mapToInt(c -> c.net().groups()).toArray();
    }

    /** Mean test accuracy over the seeds, in percent. */
    public double[] meanAccuracy() {
        return each(c -> 100 * c.mean(Run::accuracy));
    }

    public double[] minAccuracy() {
        return each(c -> 100 * c.min(Run::accuracy));
    }

    public double[] maxAccuracy() {
        return each(c -> 100 * c.max(Run::accuracy));
    }

    /** Highest minus lowest test accuracy over the seeds, in points. */
    public double[] spread() {
        return each(c -> 100 * (c.max(Run::accuracy) - c.min(Run::accuracy)));
    }

    public double[] params() {
        return each(c -> c.runs().get(0).params());
    }

    public double[] macs() {
        return each(c -> c.runs().get(0).macs());
    }

    /** Any per-run figure, averaged over the seeds. */
    public double[] mean(ToDoubleFunction<Run> f) {
        return each(c -> c.mean(f));
    }

    private double[] each(ToDoubleFunction<Config> f) {
        return configs.stream().mapToDouble(f).toArray();
    }

    /** One row per configuration: cost, seeds, and test accuracy's mean, lowest and highest. */
    public Table table() {
        StringColumn net = StringColumn.create("network");
        IntColumn seeds = IntColumn.create("seeds");
        LongColumn params = LongColumn.create("params");
        LongColumn macs = LongColumn.create("MACs");
        DoubleColumn mean = DoubleColumn.create("mean accuracy %");
        DoubleColumn lo = DoubleColumn.create("lowest %");
        DoubleColumn hi = DoubleColumn.create("highest %");
        for (Config c : configs) {
            net.append(c.net().label());
            seeds.append(c.runs().size());
            params.append(c.runs().get(0).params());
            macs.append(c.runs().get(0).macs());
            mean.append(round2(100 * c.mean(Run::accuracy)));
            lo.append(round2(100 * c.min(Run::accuracy)));
            hi.append(round2(100 * c.max(Run::accuracy)));
        }
        return Table.create("Test accuracy of " + name + " on Fashion-MNIST (committed runs)", net, params, macs,
                seeds, mean, lo, hi);
    }

    /** Each value minus the first: the change from one group. */
    public static double[] change(double[] values) {
        return java.util.Arrays.stream(values).map(v -> v - values[0]).toArray();
    }

    /**
     * A published figure for each of the given group counts, from a {@code data/} file with {@code groups},
     * {@code figure} and {@code published} columns (NaN where the source has none): accuracies in percent.
     */
    public static double[] published(String file, String figure, int[] groups) {
        Table t = Course.data(file);
        double[] out = new double[groups.length];
        java.util.Arrays.fill(out, Double.NaN);
        for (int i = 0; i < t.rowCount(); i++) {
            if (!t.getString(i, "figure").equals(figure)) {
                continue;
            }
            int g = Integer.parseInt(t.getString(i, "groups"));
            for (int k = 0; k < groups.length; k++) {
                if (groups[k] == g) {
                    out[k] = 100 * Double.parseDouble(t.getString(i, "published"));
                }
            }
        }
        return out;
    }

    /**
     * What the channel shuffle gains, group count by group count: mean accuracy with it minus without it (points),
     * beside the larger seed spread of the two and the ShuffleNet paper's gain at 1× where its Table 3 has that g
     * (top-1 error without minus with, {@code data/shufflenet-v1-table3.csv}).
     */
    public static Table shuffleGains(Sweep with, Sweep without) {
        Check.notNull("with", with);
        Check.notNull("without", without);
        Table paper = Course.data("shufflenet-v1-table3.csv");
        IntColumn g = IntColumn.create("g");
        DoubleColumn gain = DoubleColumn.create("here: mean with − without");
        DoubleColumn spread = DoubleColumn.create("here: larger seed spread");
        StringColumn published = StringColumn.create("paper, 1×: error without − with");
        double[] a = with.meanAccuracy();
        double[] b = without.meanAccuracy();
        double[] sa = with.spread();
        double[] sb = without.spread();
        for (int i = 0; i < a.length; i++) {
            int groups = with.groups()[i];
            if (groups == 1 || without.groups()[i] != groups) {
                continue; // nothing to shuffle with one group
            }
            g.append(groups);
            gain.append(round2(a[i] - b[i]));
            spread.append(round2(Math.max(sa[i], sb[i])));
            String key = String.valueOf(groups);
            boolean listed = paper.stringColumn("groups").contains(key);
            published.append(!listed ? "—" : String.format(java.util.Locale.ROOT, "%.1f",
                    Compare.published(paper, "groups", key, "scale", "1", "figure", "top-1 error % without shuffle")
                    - Compare.published(paper, "groups", key, "scale", "1", "figure", "top-1 error % with shuffle")));
        }
        return Table.create("What the shuffle gains, in accuracy points", g, gain, spread, published);
    }

    /** The runs whose dead channels were pruned: cost and accuracy before and after, seed by seed. */
    public Table pruning() {
        StringColumn net = StringColumn.create("network");
        LongColumn seed = LongColumn.create("seed");
        IntColumn dead = IntColumn.create("dead channels");
        IntColumn all = IntColumn.create("of ReLU channels");
        LongColumn params = LongColumn.create("params");
        LongColumn prunedParams = LongColumn.create("pruned params");
        LongColumn macs = LongColumn.create("MACs");
        LongColumn prunedMacs = LongColumn.create("pruned MACs");
        DoubleColumn acc = DoubleColumn.create("accuracy %");
        DoubleColumn prunedAcc = DoubleColumn.create("pruned accuracy %");
        for (Run r : runs()) {
            if (Double.isNaN(r.prunedAccuracy())) {
                continue;
            }
            net.append(r.net().label());
            seed.append(r.seed());
            dead.append(r.deadChannels());
            all.append(r.reluChannels());
            params.append(r.params());
            prunedParams.append(r.prunedParams());
            macs.append(r.macs());
            prunedMacs.append(r.prunedMacs());
            acc.append(round2(100 * r.accuracy()));
            prunedAcc.append(round2(100 * r.prunedAccuracy()));
        }
        return Table.create("Dead channels pruned (committed runs)", net, seed, dead, all, params, prunedParams, macs,
                prunedMacs, acc, prunedAcc);
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    @Override
    public String toString() {
        return name + ": " + configs.size() + " configurations, " + runs().size() + " runs";
    }
}
