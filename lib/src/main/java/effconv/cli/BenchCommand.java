package effconv.cli;

import effconv.report.Tables;
import effconv.bench.Bench;
import effconv.bench.BenchSuite;
import effconv.bench.Machine;
import effconv.fused.FusedNet;
import effconv.train.TinyNet;
import effconv.train.Training;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./course bench}: times the fixed suite ({@link BenchSuite}) and prints a table (or, with {@code --json},
 * the JSON list that {@code bench/compare.py} reads). {@code --quick} shortens warm-up and measuring to smoke-test
 * the command; {@code --only NAME} (repeatable) picks cases; {@code --out FILE} also writes the JSON there. The
 * {@code course} script runs PyTorch's twin and the compare step after it unless {@code --json} or
 * {@code --no-torch} is given. Bad arguments exit 2 with one line naming the flag; {@code --help} exits 0.
 */
@Command(name = "./course bench", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Time the benchmark suite with the helper (its ND4J path and its fused oneDNN path), then, where a Python with PyTorch is found, "
                + "the same suite with PyTorch, and print both side by side with their ratios.",
            "A Python with PyTorch: Debian's apt-get install python3-torch, or set EFFCONV_TORCH_PYTHON."})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "short warm-up and measuring: checks the command runs, its times mean little")
    boolean quick;

    @Option(names = "--only", paramLabel = "NAME", description = "time only this case (repeatable), e.g. pointwise, "
            + "\"grouped g=4\", \"" + BenchCommand.TRAINING + "\", \"" + BenchCommand.TRAINING_ALEXNET + "\"")
    List<String> only = new ArrayList<>();

    @Option(names = "--json", description = "print the helper's results alone, as the JSON list bench/compare.py reads")
    boolean json;

    @Option(names = "--no-fused", description = "time only the ND4J path (NdLayer), not the fused oneDNN path (FusedNet)")
    boolean noFused;

    @Option(names = "--no-torch", description = "time the helper alone and print its table (no PyTorch, no compare)")
    boolean noTorch;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the helper's JSON to FILE")
    Path file;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    /** The training cases: one step of the tiny ShuffleNet (g = 4) on a batch of 64; PyTorch's twin has the name. */
    static final String TRAINING = "train step shufflenet-tiny g=4";
    /** One step of the tiny AlexNet (g = 4), the other training lessons' network. */
    static final String TRAINING_ALEXNET = "train step alexnet-tiny g=4";
    private static final java.util.Map<String, TinyNet> TRAININGS = java.util.Map.of(TRAINING, TinyNet.shuffleNet(4),
            TRAINING_ALEXNET, TinyNet.alexNet(4));

    static BenchSuite.Result trainingStep(String name, double warmup, double measure) {
        TinyNet net = TRAININGS.get(name);
        Runnable step = Training.step(net, 1);
        return new BenchSuite.Result(name, "training", net.model().macs() * Training.BATCH,
                Bench.timeCalm(name, step, warmup, measure));
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        BenchCommand c = new BenchCommand();
        c.out = out;
        c.err = err;
        // the suite names a case "name"; the user typed it after --only
        CommandLine cl = Cli.prepare(c, "bench", out, err, m -> m.replaceFirst("^name = \"([^\"]*)\"", "--only $1"));
        // the course script adds its own --out FILE after the user's flags: the last one wins
        cl.setOverwrittenOptionsAllowed(true);
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        java.io.PrintStream doubts = Bench.printDoubtsTo(null);
        try {
            return timeAll();
        } finally {
            Bench.printDoubtsTo(doubts);
        }
    }

    private int timeAll() {
        boolean all = only.isEmpty();
        List<String> names = new ArrayList<>(only);
        List<String> trainings = new ArrayList<>();
        for (String t : List.of(TRAINING, TRAINING_ALEXNET)) {
            if (all || names.remove(t)) {
                trainings.add(t);
            }
        }
        List<BenchSuite.Case> cases = new ArrayList<>(all ? BenchSuite.cases() : names.stream().map(BenchSuite::named).toList());
        if (all) {
            cases.addAll(BenchSuite.extraCases());
        }
        // doubts go with each result into the JSON and the table; while running, only a dot per case is printed
        effconv.bench.Load start = effconv.bench.Load.now();
        // the FMA peak before and after the suite, the higher kept: a shared host has slow phases
        Machine before = Machine.here();
        double warmup = quick ? 0.05 : 0.5;
        double measure = quick ? 0.1 : 1.5;
        List<BenchSuite.Result> results = new ArrayList<>();
        // the machine's own peak first, so every case's GFLOP/s can be read against it
        results.add(BenchSuite.matmulPeak(Bench::timeCalm, warmup, measure));
        for (BenchSuite.Case c : cases) {
            results.add(BenchSuite.run(c, Bench::timeCalm, warmup, measure));
            if (!json) {
                err.print(".");
                err.flush();
            }
        }
        for (String t : trainings) {
            results.add(trainingStep(t, warmup, measure));
        }
        // the same cases through the fused path, after the ND4J path, on the same seeded weights and input
        List<BenchSuite.Result> fused = new ArrayList<>();
        java.util.Map<String, String> kernels = new java.util.LinkedHashMap<>();
        for (BenchSuite.Case c : noFused ? List.<BenchSuite.Case>of() : cases) {
            FusedNet net = BenchSuite.fused(c);
            fused.add(BenchSuite.runFused(c, net, Bench::timeCalm, warmup, measure));
            if (!c.kind().equals("network")) {
                kernels.put(c.name(), net.kernels());
            }
            if (!json) {
                err.print(".");
                err.flush();
            }
        }
        double otherCpus = effconv.bench.Load.now().otherCpus(start);
        Machine machine = Machine.here().with(before);
        if (!json) {
            err.println();
        }
        String asJson = BenchSuite.toJson(results, fused, machine, kernels, otherCpus);
        if (file != null) {
            try {
                Path parent = file.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Files.writeString(file, asJson);
            } catch (java.io.IOException e) {
                err.println("bench: --out " + file + " cannot be written: " + e.getMessage());
                return 2;
            }
        }
        if (json) {
            out.print(asJson);
        } else {
            out.print("ND4J path (NdLayer)\n" + Tables.text(BenchSuite.table(results, machine)) + "\n");
            if (!fused.isEmpty()) {
                out.print("\nFused oneDNN path (FusedNet)\n" + Tables.text(BenchSuite.table(fused, machine)) + "\n");
            }
            out.print("\n" + machine + "\n");
        }
        return 0;
    }
}
