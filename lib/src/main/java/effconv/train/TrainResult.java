package effconv.train;

import effconv.layers.Format;
import effconv.report.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;


/**
 * What one training run gave: its configuration (with {@code decay}, the last epochs over which the learning rate fell
 * to zero), cost, accuracy and time, epoch by epoch, and the trained network
 * itself (for analysis). {@link #command()} is the exact {@code ./course train} call that repeats it.
 */
public record TrainResult(TinyNet net, long seed, int epochs, int decay, int trainImages, int testImages, long params, long macs,
                          double testAccuracy, double secondsPerEpoch, List<Epoch> history, Network network) {

    /** One epoch: mean training loss and accuracy over its batches, test accuracy after it, seconds it took. */
    public record Epoch(int epoch, double loss, double trainAccuracy, double testAccuracy, double seconds) {
    }

    public TrainResult {
        history = List.copyOf(history);
    }

    /** The command that repeats this run. */
    public String command() {
        StringBuilder b = new StringBuilder("./course train --net ").append(net.name()).append(" --groups ")
                .append(net.groups());
        if (net.name().equals(TinyNet.SHUFFLENET) && net.groups() > 1 && !net.shuffle()) {
            b.append(" --no-shuffle");
        }
        if (net.halves()) {
            b.append(" --halves");
        }
        if (!net.batchNorm()) {
            b.append(" --no-bn");
        }
        if (net.widthMatch()) {
            b.append(" --width-match");
        }
        b.append(" --epochs ").append(epochs);
        if (decay > 0) {
            b.append(" --decay ").append(decay);
        }
        b.append(" --seed ").append(seed);
        if (trainImages != FashionMnist.TRAIN_SIZE) {
            b.append(" --train ").append(trainImages);
        }
        return b.toString();
    }

    /** One JSON object (what {@code ./course train --json} prints). */
    public String toJson() {
        return Json.write(toJsonTree());
    }

    /** The JSON as a tree, for a caller to add to (what the network learned). */
    public ObjectNode toJsonTree() {
        ObjectNode o = Json.object();
        o.put("net", net.name());
        o.put("groups", net.groups());
        o.put("shuffle", net.shuffle());
        o.put("bn", net.batchNorm());
        o.put("width_match", net.widthMatch());
        o.put("halves", net.halves());
        o.put("width", net.width());
        o.put("seed", seed);
        o.put("epochs", epochs);
        o.put("decay", decay);
        o.put("train_images", trainImages);
        o.put("test_images", testImages);
        o.put("params", params);
        o.put("macs", macs);
        o.put("test_accuracy", Format.round(testAccuracy, 4));
        o.put("seconds_per_epoch", Format.round(secondsPerEpoch, 2));
        // the learning curve, so a sweep's rows show whether their epochs were enough
        o.put("test_curve", String.join(" ", history.stream()
                .map(e -> String.valueOf(Format.round(e.testAccuracy(), 4))).toList()));
        o.put("command", command());
        return o;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s, seed %d: test accuracy %.2f%% after %d epoch%s on %,d images "
                + "(%,d params, %,d MACs, %.1f s per epoch)", net.label(), seed, 100 * testAccuracy, epochs,
                epochs == 1 ? "" : "s", trainImages, params, macs, secondsPerEpoch);
    }
}
