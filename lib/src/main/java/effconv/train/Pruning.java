package effconv.train;

import effconv.layers.BatchNorm;
import effconv.layers.Check;
import effconv.layers.Conv2d;
import effconv.layers.FullyConnected;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.Sequence;
import effconv.models.Model;
import effconv.runtime.Floats;
import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Channels that never fire, found and removed: what {@link Analysis#deadChannels} counts and
 * {@link Analysis#prune} cuts, with the surviving weights copied into the smaller network.
 */
final class Pruning {
    private Pruning() {
    }

    static Analysis.DeadChannels find(Network net, Images images, double threshold) {
        Check.notNull("net", net);
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold = " + threshold + " is not allowed: it must be in (0, 1]");
        }
        List<Integer> relus = new ArrayList<>();
        for (int i = 0; i < net.modules().size(); i++) {
            if (net.modules().get(i) instanceof ReluModule) {
                relus.add(i);
            }
        }
        long[][] active = new long[relus.size()][];
        long[] positions = new long[relus.size()];
        for (int s = 0; s < images.size(); s += Analysis.BATCH) {
            Analysis.forward(net, images, s, net.modules().size());
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
            layers.add(new Analysis.Dead(net.modules().get(relus.get(k)).path, fraction.length, dead, fraction));
        }
        return new Analysis.DeadChannels(threshold, layers);
    }

    static Network prune(Network net, Analysis.DeadChannels dead) {
        Check.notNull("net", net);
        Check.notNull("dead", dead);
        List<Module> ms = net.modules();
        // which output channels of each conv survive: those its following ReLU keeps
        java.util.Map<Integer, int[]> keep = new java.util.HashMap<>();
        for (Analysis.Dead d : dead.layers()) {
            if (d.dead().isEmpty()) {
                continue;
            }
            int relu = net.indexOf(d.layer());
            int conv = relu;
            while (conv >= 0 && !(ms.get(conv) instanceof ConvModule)) {
                conv--;
            }
            if (conv < 0 || ((ConvModule) ms.get(conv)).groups != 1) {
                throw new IllegalArgumentException("net is not allowed here: pruning " + d.layer() + " needs the "
                        + "convolution before it to have groups = 1");
            }
            keep.put(conv, kept(d.channels(), d.dead()));
        }
        List<Layer> layers = new ArrayList<>();
        int[] incoming = null; // the input channels the next weighted layer still receives
        for (int i = 0; i < ms.size(); i++) {
            Module m = ms.get(i);
            Layer spec = m.spec;
            if (m instanceof ConvModule c) {
                Conv2d conv = c.conv;
                if (incoming != null && conv.groups() != 1) {
                    throw new IllegalArgumentException("net is not allowed here: " + m.path + " reads pruned channels "
                            + "and must have groups = 1");
                }
                int in = incoming == null ? conv.inChannels() : incoming.length;
                int out = keep.containsKey(i) ? keep.get(i).length : conv.outChannels();
                spec = new Conv2d(in, out, conv.kernel(), conv.stride(), conv.padding(), conv.dilation(), conv.groups(),
                        conv.bias());
                incoming = keep.get(i);
            } else if (m instanceof BatchNormModule bn && incoming != null) {
                spec = new BatchNorm(incoming.length);
            } else if (m instanceof LinearModule fc && incoming != null) {
                spec = new FullyConnected(incoming.length, fc.fc.out(), fc.fc.bias());
                incoming = null;
            }
            layers.add(Named.of(m.path, spec));
        }
        Model pruned = new Model(net.model().name() + " (pruned)", net.model().input(), new Sequence(layers));
        Network result = Network.of(pruned, net.seed());
        copyWeights(net, result, keep);
        return result;
    }

    private static int[] kept(int channels, List<Integer> dead) {
        return java.util.stream.IntStream.range(0, channels).filter(c -> !dead.contains(c)).toArray();
    }

    private static void copyWeights(Network from, Network to, java.util.Map<Integer, int[]> keep) {
        int[] incoming = null;
        for (int i = 0; i < from.modules().size(); i++) {
            Module a = from.modules().get(i);
            Module b = to.modules().get(i);
            if (a instanceof ConvModule ca && b instanceof ConvModule cb) {
                int[] outs = keep.get(i);
                INDArray w = ca.w;
                if (outs != null) {
                    w = w.get(pick(outs), all(), all(), all());
                }
                if (incoming != null) {
                    w = w.get(all(), pick(incoming), all(), all());
                }
                cb.w.assign(w.reshape(cb.w.shape()));
                if (ca.b != null) {
                    cb.b.assign(outs == null ? ca.b : ca.b.get(pick(outs)));
                }
                incoming = outs;
            } else if (a instanceof BatchNormModule na && b instanceof BatchNormModule nb) {
                int[] idx = incoming != null ? incoming : java.util.stream.IntStream.range(0, na.channels).toArray();
                float[] g = Floats.read(na.gamma);
                float[] be = Floats.read(na.beta);
                float[] g2 = new float[idx.length];
                float[] b2 = new float[idx.length];
                for (int k = 0; k < idx.length; k++) {
                    g2[k] = g[idx[k]];
                    b2[k] = be[idx[k]];
                    nb.runningMean[k] = na.runningMean[idx[k]];
                    nb.runningVar[k] = na.runningVar[idx[k]];
                }
                Floats.write(g2, nb.gamma);
                Floats.write(b2, nb.beta);
            } else if (a instanceof LinearModule la && b instanceof LinearModule lb) {
                lb.w.assign(incoming == null ? la.w : la.w.get(all(), pick(incoming)));
                if (la.b != null) {
                    lb.b.assign(la.b);
                }
                incoming = null;
            }
        }
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex pick(int[] indices) {
        return new org.nd4j.linalg.indexing.SpecifiedIndex(java.util.Arrays.stream(indices).asLongStream().toArray());
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex all() {
        return org.nd4j.linalg.indexing.NDArrayIndex.all();
    }
}
