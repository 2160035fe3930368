package effconv.train;

import effconv.report.Json;
import java.util.List;
import java.util.Locale;


/**
 * What one training run gave: its configuration, cost, accuracy and time, epoch by epoch, and the trained network
 * itself (for analysis). {@link #command()} is the exact {@code ./course train} call that repeats it.
 */
public record TrainResult(TinyNet net, long seed, int epochs, int trainImages, int testImages, long params, long macs,
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
        if (!net.batchNorm()) {
            b.append(" --no-bn");
        }
        if (net.widthMatch()) {
            b.append(" --width-match");
        }
        b.append(" --epochs ").append(epochs).append(" --seed ").append(seed);
        if (trainImages != FashionMnist.TRAIN_SIZE) {
            b.append(" --train ").append(trainImages);
        }
        return b.toString();
    }

    /** One JSON object (what {@code ./course train --json} prints). */
    public String toJson() {
        return String.format(Locale.ROOT, "{\"net\":%s,\"groups\":%d,\"shuffle\":%b,\"bn\":%b,\"width_match\":%b,"
                + "\"width\":%d,\"seed\":%d,\"epochs\":%d,\"train_images\":%d,\"test_images\":%d,\"params\":%d,"
                + "\"macs\":%d,\"test_accuracy\":%.4f,\"seconds_per_epoch\":%.2f,\"command\":%s}",
                Json.string(net.name()), net.groups(), net.shuffle(), net.batchNorm(), net.widthMatch(), net.width(), seed, epochs,
                trainImages, testImages, params, macs, testAccuracy, secondsPerEpoch, Json.string(command()));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s, seed %d: test accuracy %.2f%% after %d epoch%s on %,d images "
                + "(%,d params, %,d MACs, %.1f s per epoch)", net.label(), seed, 100 * testAccuracy, epochs,
                epochs == 1 ? "" : "s", trainImages, params, macs, secondsPerEpoch);
    }
}
