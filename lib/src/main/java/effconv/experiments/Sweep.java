package effconv.experiments;

import effconv.layers.Check;
import effconv.report.Course;
import effconv.train.TinyNet;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * One run, as its CSV row recorded it: {@code curve} is the test accuracy after each epoch (its last entry is
     * {@code accuracy}), {@code threads} the threads it trained on (what {@code secondsPerEpoch} depends on),
     * {@code decay} the last epochs over which its learning rate fell to zero (0: constant).
     */
    public record Run(TinyNet net, long seed, long params, long macs, double accuracy, double secondsPerEpoch,
                      double corrWithin, double corrBetween, int deadChannels, int reluChannels, double prunedAccuracy,
                      long prunedParams, long prunedMacs, String command, double[] curve, int threads, int decay) {
        public int epochs() {
            return curve.length;
        }
    }

    /** The runs of one network trained one way, one per seed. */
    public record Config(TinyNet net, List<Run> runs) {
        /** The epochs over which the learning rate decayed (0: constant), as all its runs did. */
        public int decay() {
            return runs.get(0).decay();
        }

        public double mean(ToDoubleFunction<Run> f) {
            return runs.stream().mapToDouble(f).average().orElse(Double.NaN);
        }

        public double min(ToDoubleFunction<Run> f) {
            return runs.stream().mapToDouble(f).min().orElse(Double.NaN);
        }

        public double max(ToDoubleFunction<Run> f) {
            return runs.stream().mapToDouble(f).max().orElse(Double.NaN);
        }

        /** Test accuracy over the seeds, in percent, with its standard error. */
        public Estimate accuracy() {
            return Estimate.of(runs.stream().mapToDouble(Run::accuracy).toArray()).times(100);
        }

        /** Test accuracy after each epoch over the seeds, in percent, with its standard error. */
        public List<Estimate> curve() {
            int epochs = runs.get(0).epochs();
            List<Estimate> out = new ArrayList<>();
            for (int e = 0; e < epochs; e++) {
                int k = e;
                out.add(Estimate.of(runs.stream().mapToDouble(r -> r.curve()[k]).toArray()).times(100));
            }
            return out;
        }
    }

    private final String name;
    private final List<Config> configs;

    private Sweep(String name, List<Config> configs) {
        this.name = name;
        this.configs = List.copyOf(configs);
    }

    /** The tiny ShuffleNet fed the picture's halves apart ({@link TinyNet#halves()}): a sweep of its own. */
    public static final String HALVES = "shufflenet-halves";
    /** The tiny AlexNets g = 1 and 4 at three learning-rate schedules: what chose the AlexNet sweep's decay. */
    public static final String SCHEDULE = "alexnet-schedule";
    /** The committed sweeps. */
    public static final List<String> NAMES = List.of(TinyNet.SHUFFLENET, TinyNet.ALEXNET, HALVES, SCHEDULE);

    /** A committed sweep: {@code shufflenet-tiny}, {@code alexnet-tiny}, {@code shufflenet-halves} or {@code alexnet-schedule}. */
    public static Sweep load(String net) {
        Check.notNull("net", net);
        if (!NAMES.contains(net)) {
            throw new IllegalArgumentException("net = \"" + net + "\" is not allowed: choose one of " + NAMES);
        }
        return new Sweep(net, SweepFile.read("training-" + net + ".csv"));
    }

    public List<Config> configs() {
        return configs;
    }

    /** The configurations that pass the filter, e.g. {@code where(n -> n.batchNorm() && !n.widthMatch())}. */
    public Sweep where(Predicate<TinyNet> filter) {
        return new Sweep(name, configs.stream().filter(c -> filter.test(c.net())).toList());
    }

    /**
     * The configuration's name in this sweep: its network's label, with its learning-rate schedule when the sweep
     * holds more than one ("constant rate", "rate decayed over the last 2 epochs").
     */
    public String label(Config c) {
        Check.notNull("c", c);
        if (configs.stream().mapToInt(Config::decay).distinct().count() < 2) {
            return c.net().label();
        }
        return c.net().label() + (c.decay() == 0 ? ", constant rate" : ", rate decayed over the last " + c.decay()
                + " epoch" + (c.decay() == 1 ? "" : "s"));
    }

    /** The configurations with g groups. */
    public Sweep atGroups(int g) {
        return new Sweep(name, configs.stream().filter(c -> c.net().groups() == g).toList());
    }

    /** The configurations whose learning rate decayed over the last {@code epochs} epochs (0: constant). */
    public Sweep decayed(int epochs) {
        return new Sweep(name, configs.stream().filter(c -> c.decay() == epochs).toList());
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

    /** The standard error of each configuration's mean test accuracy, in points. */
    public double[] standardError() {
        return each(c -> c.accuracy().standardError());
    }

    /**
     * Configuration a's accuracy minus b's, paired by seed (both trained from the same seeds), in points, with its
     * standard error. Both must have the same seeds.
     */
    public static Estimate paired(Config a, Config b) {
        Check.notNull("a", a);
        Check.notNull("b", b);
        List<Long> seeds = a.runs().stream().map(Run::seed).toList();
        if (!seeds.equals(b.runs().stream().map(Run::seed).toList())) {
            throw new IllegalArgumentException("b has seeds " + b.runs().stream().map(Run::seed).toList() + ", which "
                    + "is not allowed: a has " + seeds + " (a paired difference needs the same seeds)");
        }
        return Estimate.pairedDifference(a.runs().stream().mapToDouble(Run::accuracy).toArray(),
                b.runs().stream().mapToDouble(Run::accuracy).toArray()).times(100);
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
        DoubleColumn se = DoubleColumn.create("± SE");
        DoubleColumn lo = DoubleColumn.create("lowest %");
        DoubleColumn hi = DoubleColumn.create("highest %");
        for (Config c : configs) {
            net.append(label(c));
            seeds.append(c.runs().size());
            params.append(c.runs().get(0).params());
            macs.append(c.runs().get(0).macs());
            mean.append(round2(100 * c.mean(Run::accuracy)));
            se.append(round2(c.accuracy().standardError()));
            lo.append(round2(100 * c.min(Run::accuracy)));
            hi.append(round2(100 * c.max(Run::accuracy)));
        }
        return Table.create("Test accuracy of " + name + " on Fashion-MNIST (committed runs)", net, params, macs,
                seeds, mean, se, lo, hi);
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
     * What the channel shuffle gains, group count by group count: accuracy with it minus without it, paired by seed
     * (points, ± its standard error, and whether that is beyond 2 SE), beside the ShuffleNet paper's gain at 1×, 0.5×
     * and 0.25× where its Table 3 has that g (top-1 error without minus with, {@code data/shufflenet-v1-table3.csv}).
     */
    public static Table shuffleGains(Sweep with, Sweep without) {
        return ShuffleGains.table(with, without);
    }

    /**
     * The shuffle's paired gains in one computed sentence: the largest, and at which g a gain is beyond 2 SE (and in
     * which direction) or every one is noise.
     */
    public static String shuffleGainSentence(Sweep with, Sweep without) {
        return ShuffleGains.sentence(with, without);
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
