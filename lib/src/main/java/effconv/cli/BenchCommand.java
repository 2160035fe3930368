package effconv.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import effconv.Bench;
import effconv.BenchSuite;
import effconv.train.TinyNet;
import effconv.train.Training;

/**
 * {@code ./course bench}: times the fixed suite ({@link BenchSuite}) and prints a table (or, with {@code --json},
 * the JSON list that {@code bench/compare.py} reads). {@code --quick} shortens warm-up and measuring to smoke-test
 * the command; {@code --only NAME} (repeatable) picks cases; {@code --out FILE} also writes the JSON there.
 */
public final class BenchCommand {

    static final String USAGE = "usage: ./course bench [--json] [--quick] [--only NAME]... [--out FILE]";

    /** The training case: one step of the tiny ShuffleNet (g = 4) on a batch of 64; PyTorch's twin has the name. */
    static final String TRAINING = "train step shufflenet-tiny g=4";

    static BenchSuite.Result trainingStep(double warmup, double measure) {
        TinyNet net = TinyNet.shuffleNet(4);
        Runnable step = Training.step(net, 1);
        return new BenchSuite.Result(TRAINING, "training", net.model().macs() * Training.BATCH,
                Bench.time(TRAINING, step, warmup, measure));
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean json = false;
        boolean quick = false;
        List<String> only = new ArrayList<>();
        Path file = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--json" -> json = true;
                    case "--quick" -> quick = true;
                    case "--only", "--out" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(args[i] + " is missing its value");
                        }
                        if (args[i].equals("--only")) {
                            only.add(args[++i]);
                        } else {
                            file = Path.of(args[++i]);
                        }
                    }
                    default -> throw new IllegalArgumentException("argument " + args[i] + " is not allowed; "
                            + USAGE);
                }
            }
            boolean all = only.isEmpty();
            boolean training = all || only.remove(TRAINING);
            List<BenchSuite.Case> cases = all ? BenchSuite.cases() : only.stream().map(BenchSuite::named).toList();
            double warmup = quick ? 0.05 : 0.5;
            double measure = quick ? 0.1 : 1.5;
            List<BenchSuite.Result> results = new ArrayList<>();
            // the machine's own peak first, so every case's GFLOP/s can be read against it
            results.add(BenchSuite.matmulPeak(warmup, measure));
            for (BenchSuite.Case c : cases) {
                results.add(BenchSuite.run(c, warmup, measure));
                if (!json) {
                    err.print(".");
                    err.flush();
                }
            }
            if (training) {
                results.add(trainingStep(warmup, measure));
            }
            if (!json) {
                err.println();
            }
            String asJson = BenchSuite.toJson(results);
            if (file != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, asJson);
            }
            out.print(json ? asJson : BenchSuite.table(results).printAll() + "\n");
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            err.println("bench: cannot write " + file + ": " + e.getMessage());
            return 2;
        }
    }
}
