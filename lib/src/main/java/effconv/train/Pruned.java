package effconv.train;

import effconv.layers.BatchNorm;
import effconv.layers.Conv2d;
import effconv.layers.FullyConnected;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.Sequence;
import effconv.models.Model;
import effconv.runtime.Floats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network with channels removed ({@link Network#pruned}): each removed channel's filter (and batch norm entry) in
 * the convolution that makes it and its weights in the layer that reads it, the surviving weights copied module by
 * module into the smaller network.
 */
final class Pruned {
    private Pruned() {
    }

    static Network of(Network net, Map<String, List<Integer>> dead) {
        List<Module> ms = net.modules();
        // which output channels of each conv survive: those its following ReLU keeps
        Map<Integer, int[]> keep = new HashMap<>();
        for (Map.Entry<String, List<Integer>> d : dead.entrySet()) {
            if (d.getValue().isEmpty()) {
                continue;
            }
            int relu = net.indexOf(d.getKey());
            int conv = relu;
            while (conv >= 0 && !(ms.get(conv) instanceof ConvModule)) {
                conv--;
            }
            if (conv < 0 || ((ConvModule) ms.get(conv)).groups != 1) {
                throw new IllegalArgumentException("net is not allowed here: pruning " + d.getKey() + " needs the "
                        + "convolution before it to have groups = 1");
            }
            keep.put(conv, kept(((ConvModule) ms.get(conv)).conv.outChannels(), d.getValue()));
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

    private static void copyWeights(Network from, Network to, Map<Integer, int[]> keep) {
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
