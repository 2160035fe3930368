package effconv.experiments;

import effconv.layers.Activation;
import effconv.layers.Check;
import effconv.runtime.Floats;
import effconv.train.Images;
import effconv.train.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Channels that never fire, found and removed: what {@link Analysis#deadChannels} counts, read from the ReLU layers'
 * outputs, and what {@link Analysis#prune} cuts through the engine ({@link Network#pruned}).
 */
final class Pruning {
    private Pruning() {
    }

    static Analysis.DeadChannels find(Network net, Images images, double threshold) {
        Check.notNull("net", net);
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold = " + threshold + " is not allowed: it must be in (0, 1]");
        }
        List<String> names = net.layerNames();
        List<Integer> relus = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (net.layer(names.get(i)) instanceof Activation) {
                relus.add(i);
            }
        }
        long[][] active = new long[relus.size()][];
        long[] positions = new long[relus.size()];
        for (int s = 0; s < images.size(); s += Analysis.BATCH) {
            Analysis.forward(net, images, s, names.size());
            for (int k = 0; k < relus.size(); k++) {
                INDArray out = net.output(relus.get(k));
                int c = (int) out.size(1);
                int n = (int) out.size(0);
                int plane = (int) (out.size(2) * out.size(3));
                if (active[k] == null) {
                    active[k] = new long[c];
                }
                float[] v = Floats.read(out);
                for (int i = 0; i < n; i++) {
                    for (int ch = 0; ch < c; ch++) {
                        int o = (i * c + ch) * plane;
                        for (int p = 0; p < plane; p++) {
                            if (v[o + p] > 0) {
                                active[k][ch]++;
                            }
                        }
                    }
                }
                positions[k] += (long) n * plane;
            }
        }
        List<Analysis.Dead> layers = new ArrayList<>();
        for (int k = 0; k < relus.size(); k++) {
            List<Integer> dead = new ArrayList<>();
            double[] fraction = new double[active[k].length];
            for (int ch = 0; ch < fraction.length; ch++) {
                fraction[ch] = (double) active[k][ch] / positions[k];
                if (1 - fraction[ch] >= threshold) {
                    dead.add(ch);
                }
            }
            layers.add(new Analysis.Dead(names.get(relus.get(k)), fraction.length, dead, fraction));
        }
        return new Analysis.DeadChannels(threshold, layers);
    }

    static Network prune(Network net, Analysis.DeadChannels dead) {
        Check.notNull("net", net);
        Check.notNull("dead", dead);
        Map<String, List<Integer>> byLayer = new LinkedHashMap<>();
        for (Analysis.Dead d : dead.layers()) {
            byLayer.put(d.layer(), d.dead());
        }
        return net.pruned(byLayer);
    }
}
