package effconv.cli;

import effconv.bench.Machine;
import effconv.layers.Check;
import effconv.layers.Format;
import effconv.report.Json;
import effconv.experiments.Analysis;
import effconv.train.FashionMnist;
import effconv.train.Images;
import effconv.train.Network;
import effconv.train.Progress;
import effconv.train.TinyNet;
import effconv.train.TrainResult;
import effconv.train.Training;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./course train}: trains one of the tiny networks on the course's Fashion-MNIST subset and prints its test
 * accuracy, cost and time (or, with {@code --json}, one JSON object, with what the network learned: channel
 * correlations within and between groups, dead channels, and what pruning them saves). Bad values exit 2 with one
 * line naming the flag.
 */
@Command(name = "./course train", sortOptions = false, usageHelpAutoWidth = true,
        description = "Train a tiny network on Fashion-MNIST (12,000 training, 10,000 test images) and report its "
                + "accuracy, parameters, MACs and time per epoch.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--net", paramLabel = "NAME", description = "shufflenet-tiny or alexnet-tiny (default: ${DEFAULT-VALUE})")
    String net = TinyNet.SHUFFLENET;

    @Option(names = "--groups", paramLabel = "G", description = "groups of the grouped convolutions (default: ${DEFAULT-VALUE})")
    int groups = 1;

    @Option(names = "--no-shuffle", description = "leave out ShuffleNet's channel shuffle")
    boolean noShuffle;

    @Option(names = "--halves", description = "feed the picture's top and bottom halves as two channels to a stem grouped in two (shufflenet-tiny, even G)")
    boolean halves;

    @Option(names = "--no-bn", description = "leave out batch norm (convolutions get a bias instead)")
    boolean noBn;

    @Option(names = "--width-match", description = "widen the grouped layers until the parameters match g = 1")
    boolean widthMatch;

    @Option(names = "--epochs", paramLabel = "E", description = "passes over the training images (default: ${DEFAULT-VALUE})")
    int epochs = 3;

    @Option(names = "--decay", paramLabel = "E", description = "lower the learning rate linearly to zero over the last E epochs (default: ${DEFAULT-VALUE}, constant)")
    int decay;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the weights and the image order (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--train", paramLabel = "N", description = "training images, 64 to 12000 (default: ${DEFAULT-VALUE})")
    int train = FashionMnist.TRAIN_SIZE;

    @Option(names = "--json", description = "print one JSON object (progress goes to standard error)")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    /** The flags behind the parameter names the library's messages use. */
    private static final Map<String, String> FLAGS = Map.of("net", "--net", "groups", "--groups", "epochs", "--epochs",
            "train", "--train", "seed", "--seed", "decay", "--decay");

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        TrainCommand c = new TrainCommand();
        c.out = out;
        c.err = err;
        return Cli.prepare(c, "train", out, err, TrainCommand::asFlag).execute(args);
    }

    /** "groups = 5 is not allowed: …" becomes "--groups 5 is not allowed: …", the way it was typed. */
    static String asFlag(String message) {
        for (Map.Entry<String, String> f : FLAGS.entrySet()) {
            String prefix = f.getKey() + " = ";
            if (message.startsWith(prefix)) {
                return f.getValue() + " " + message.substring(prefix.length()).replaceFirst("^\"([^\"]*)\"", "$1");
            }
        }
        return message;
    }

    /**
     * Runs a {@code ./course train} command line in a notebook cell — for example a committed row's command — and
     * returns its result, with the notebook's progress display. A bad flag is one IllegalArgumentException naming it.
     */
    public static TrainResult train(String commandLine) {
        Check.notNull("commandLine", commandLine);
        String[] words = commandLine.strip().replaceFirst("^(\\./)?course\\s+train\\b", "").strip().split("\\s+");
        TrainCommand c = new TrainCommand();
        try {
            new CommandLine(c).parseArgs(words.length == 1 && words[0].isEmpty() ? new String[0] : words);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage().replace("'", ""));
        }
        if (c.json || c.help) {
            throw new IllegalArgumentException((c.json ? "--json" : "--help") + " is not allowed here: in a cell the "
                    + "result is shown as it is");
        }
        try {
            return c.training(Progress.standard()).run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(asFlag(e.getMessage()), e);
        }
    }

    private Training training(Progress progress) {
        TinyNet tiny = new TinyNet(net, groups, !noShuffle, !noBn, widthMatch, halves);
        return Training.of(tiny).epochs(epochs).decay(decay).trainImages(train).seed(seed).progress(progress);
    }

    @Override
    public Integer call() {
        TrainResult r = training(json ? Progress.lines(err) : Progress.lines(out)).run();
        if (!json) {
            out.println(r);
            return 0;
        }
        out.println(withAnalysis(r));
        return 0;
    }

    /** The result's JSON with what the network learned added. */
    static String withAnalysis(TrainResult r) {
        Network n = r.network();
        Images test = r.net().prepare(FashionMnist.test());
        String layer = r.net().name().equals(TinyNet.ALEXNET) ? "conv5/conv" : "u3/gconv2";
        int parts = r.net().groups() > 1 ? r.net().groups() : 4;
        Analysis.Correlation corr = Analysis.correlation(n, layer, test, parts);
        Analysis.DeadChannels dead = Analysis.deadChannels(n, test, 0.99);
        ObjectNode o = r.toJsonTree();
        o.put("threads", Machine.courseThreads()); // seconds_per_epoch depends on it
        o.put("corr_layer", layer);
        o.put("corr_groups", parts);
        o.put("corr_within", Format.round(corr.within(), 4));
        o.put("corr_between", Format.round(corr.between(), 4));
        o.put("dead_channels", dead.total());
        o.put("relu_channels", dead.channels());
        boolean pruned = dead.total() > 0 && r.net().groups() == 1;
        Network p = pruned ? Analysis.prune(n, dead) : null;
        o.put("pruned_accuracy", pruned ? Format.round(Training.accuracy(p, test), 4) : null);
        o.put("pruned_params", pruned ? p.model().params() : null);
        o.put("pruned_macs", pruned ? p.model().macs() : null);
        return Json.write(o);
    }
}
