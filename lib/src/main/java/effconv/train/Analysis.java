package effconv.train;

import effconv.layers.BatchNorm;
import effconv.layers.Check;
import effconv.layers.Conv2d;
import effconv.layers.FullyConnected;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.Sequence;
import effconv.models.Model;
import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * What a trained network learned, measured: how correlated its channels' responses are within and between groups,
 * which channels never fire (dead), what removing them saves, and whether a group can influence another at all.
 */
public final class Analysis {
    private static final int BATCH = Training.EVAL_BATCH;

    private Analysis() {
    }

    /**
     * The correlation of a layer's output channels over the given images (every position of every image is one
     * observation), and its mean |r| over pairs of distinct channels in the same group and in different groups,
     * for the layer's channels split into {@code groups} equal consecutive groups.
     */
    public record Correlation(String layer, int groups, double[][] matrix, double within, double between) {
        /** |r| for every pair of channels, for a picture. */
        public double[][] absolute() {
            double[][] a = new double[matrix.length][];
            for (int i = 0; i < a.length; i++) {
                a[i] = java.util.Arrays.stream(matrix[i]).map(Math::abs).toArray();
            }
            return a;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s, %d groups: mean |correlation| %.3f within groups, "
                    + "%.3f between groups", layer, groups, within, between);
        }
    }

    public static Correlation correlation(Network net, String layer, Images images, int groups) {
        Check.notNull("net", net);
        int at = net.indexOf(layer);
        double[] sum = null;
        double[][] cross = null;
        long count = 0;
        int channels = 0;
        for (int s = 0; s < images.size(); s += BATCH) {
            INDArray out = forward(net, images, s, at + 1);
            channels = (int) out.size(1);
            int n = (int) out.size(0);
            int plane = (int) (out.size(2) * out.size(3));
            if (sum == null) {
                Check.divides("groups", groups, "the layer's channels", channels);
                sum = new double[channels];
                cross = new double[channels][channels];
            }
            float[] v = Floats.read(out.dup('c'));
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    for (int a = 0; a < channels; a++) {
                        double xa = v[(i * channels + a) * plane + p];
                        sum[a] += xa;
                        double[] row = cross[a];
                        for (int b = a; b < channels; b++) {
                            row[b] += xa * v[(i * channels + b) * plane + p];
                        }
                    }
                }
            }
            count += (long) n * plane;
        }
        double[][] r = new double[channels][channels];
        double[] sd = new double[channels];
        for (int a = 0; a < channels; a++) {
            double m = sum[a] / count;
            sd[a] = Math.sqrt(Math.max(0, cross[a][a] / count - m * m));
        }
        int per = channels / groups;
        double within = 0;
        double between = 0;
        long nw = 0;
        long nb = 0;
        for (int a = 0; a < channels; a++) {
            for (int b = a; b < channels; b++) {
                double cov = cross[a][b] / count - (sum[a] / count) * (sum[b] / count);
                double c = sd[a] > 0 && sd[b] > 0 ? cov / (sd[a] * sd[b]) : 0;
                r[a][b] = c;
                r[b][a] = c;
                if (a != b) {
                    if (a / per == b / per) {
                        within += Math.abs(c);
                        nw++;
                    } else {
                        between += Math.abs(c);
                        nb++;
                    }
                }
            }
        }
        return new Correlation(layer, groups, r, nw == 0 ? Double.NaN : within / nw, nb == 0 ? Double.NaN : between / nb);
    }

    /**
     * Between two layers of the same spatial size, the correlation of each channel a of {@code from}'s output with
     * each channel b of {@code to}'s output at the same position (Ioannou's inter-layer view: how a layer's responses
     * relate to those of the layer before it), and the mean |r| over pairs whose channels fall in the same of
     * {@code groups} equal consecutive groups (a's group of {@code from}, b's of {@code to}) and in different ones.
     * The matrix is from's channels × to's.
     */
    public static Correlation interLayer(Network net, String from, String to, Images images, int groups) {
        Check.notNull("net", net);
        int a0 = net.indexOf(from);
        int b0 = net.indexOf(to);
        if (b0 <= a0) {
            throw new IllegalArgumentException("to = \"" + to + "\" is not allowed: it must come after from = \""
                    + from + "\" in the network");
        }
        double[] sa = null;
        double[] sqa = null;
        double[] sb = null;
        double[] sqb = null;
        double[][] cross = null;
        long count = 0;
        int ca = 0;
        int cb = 0;
        for (int s = 0; s < images.size(); s += BATCH) {
            INDArray x = forward(net, images, s, a0 + 1);
            INDArray y = net.forward(x, false, a0 + 1, b0 + 1);
            if (x.size(2) != y.size(2) || x.size(3) != y.size(3)) {
                throw new IllegalArgumentException("to = \"" + to + "\" is not allowed: its output is " + y.size(2)
                        + "×" + y.size(3) + " and from's " + x.size(2) + "×" + x.size(3) + " (positions must match)");
            }
            ca = (int) x.size(1);
            cb = (int) y.size(1);
            int n = (int) x.size(0);
            int plane = (int) (x.size(2) * x.size(3));
            if (sa == null) {
                Check.divides("groups", groups, "from's channels", ca);
                Check.divides("groups", groups, "to's channels", cb);
                sa = new double[ca];
                sqa = new double[ca];
                sb = new double[cb];
                sqb = new double[cb];
                cross = new double[ca][cb];
            }
            float[] u = Floats.read(x.dup('c'));
            float[] v = Floats.read(y.dup('c'));
            double[] col = new double[cb];
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    for (int b = 0; b < cb; b++) {
                        col[b] = v[(i * cb + b) * plane + p];
                        sb[b] += col[b];
                        sqb[b] += col[b] * col[b];
                    }
                    for (int a = 0; a < ca; a++) {
                        double xa = u[(i * ca + a) * plane + p];
                        sa[a] += xa;
                        sqa[a] += xa * xa;
                        double[] row = cross[a];
                        for (int b = 0; b < cb; b++) {
                            row[b] += xa * col[b];
                        }
                    }
                }
            }
            count += (long) n * plane;
        }
        double[][] r = new double[ca][cb];
        int perA = ca / groups;
        int perB = cb / groups;
        double within = 0;
        double between = 0;
        long nw = 0;
        long nb = 0;
        for (int a = 0; a < ca; a++) {
            double ma = sa[a] / count;
            double sda = Math.sqrt(Math.max(0, sqa[a] / count - ma * ma));
            for (int b = 0; b < cb; b++) {
                double mb = sb[b] / count;
                double sdb = Math.sqrt(Math.max(0, sqb[b] / count - mb * mb));
                double c = sda > 0 && sdb > 0 ? (cross[a][b] / count - ma * mb) / (sda * sdb) : 0;
                r[a][b] = c;
                if (a / perA == b / perB) {
                    within += Math.abs(c);
                    nw++;
                } else {
                    between += Math.abs(c);
                    nb++;
                }
            }
        }
        return new Correlation(from + " → " + to, groups, r, nw == 0 ? Double.NaN : within / nw,
                nb == 0 ? Double.NaN : between / nb);
    }

    /** A ReLU layer's channels that output zero on at least {@code threshold} of all positions. */
    public record Dead(String layer, int channels, List<Integer> dead, double[] activeFraction) {
    }

    /** Every ReLU layer's dead channels. */
    public record DeadChannels(double threshold, List<Dead> layers) {
        public int total() {
            return layers.stream().mapToInt(d -> d.dead().size()).sum();
        }

        public int channels() {
            return layers.stream().mapToInt(Dead::channels).sum();
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
                    "%d of %d channels dead (zero on ≥ %.0f%% of positions)", total(), channels(), 100 * threshold));
            for (Dead d : layers) {
                b.append("\n  ").append(d.layer()).append(": ").append(d.dead().size()).append(" of ").append(d.channels());
            }
            return b.toString();
        }
    }

    public static DeadChannels deadChannels(Network net, Images images, double threshold) {
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
        for (int s = 0; s < images.size(); s += BATCH) {
            forward(net, images, s, net.modules().size());
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
        List<Dead> layers = new ArrayList<>();
        for (int k = 0; k < relus.size(); k++) {
            List<Integer> dead = new ArrayList<>();
            double[] fraction = new double[active[k].length];
            for (int ch = 0; ch < fraction.length; ch++) {
                fraction[ch] = (double) active[k][ch] / positions[k];
                if (1 - fraction[ch] >= threshold) {
                    dead.add(ch);
                }
            }
            layers.add(new Dead(net.modules().get(relus.get(k)).path, fraction.length, dead, fraction));
        }
        return new DeadChannels(threshold, layers);
    }

    /**
     * The network with its dead channels removed: each such channel's filter (and batch norm entry) in the layer that
     * makes it, and its weights in the layer that reads it. Needs ungrouped convolutions around the removed channels.
     */
    public static Network prune(Network net, DeadChannels dead) {
        Check.notNull("net", net);
        Check.notNull("dead", dead);
        List<Module> ms = net.modules();
        // which output channels of each conv survive: those its following ReLU keeps
        java.util.Map<Integer, int[]> keep = new java.util.HashMap<>();
        for (Dead d : dead.layers()) {
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

    /**
     * How much group i of layer {@code to}'s output can change when group j of layer {@code from}'s input changes:
     * the largest |∂(sum of group i's outputs) / ∂(an input in group j)| over the first batch of the images, as a g×g
     * matrix.
     * Exactly zero off the diagonal means the groups are isolated.
     */
    public static double[][] groupGradient(Network net, String from, String to, int groups, Images images) {
        Check.notNull("net", net);
        int a = net.indexOf(from);
        int b = net.indexOf(to);
        if (b < a) {
            throw new IllegalArgumentException("to = \"" + to + "\" is not allowed: it must come after from = \"" + from + "\"");
        }
        INDArray out = forward(net, images, 0, b + 1);
        int n = (int) out.size(0);
        int outC = (int) out.size(1);
        Check.divides("groups", groups, "the output channels of " + to, outC);
        double[][] g = new double[groups][groups];
        for (int i = 0; i < groups; i++) {
            float[] seed = new float[(int) out.length()];
            int per = outC / groups;
            int plane = (int) (out.size(2) * out.size(3));
            for (int s = 0; s < n; s++) {
                for (int c = i * per; c < (i + 1) * per; c++) {
                    java.util.Arrays.fill(seed, (s * outC + c) * plane, (s * outC + c + 1) * plane, 1f);
                }
            }
            INDArray dy = Floats.create(out.shape());
            Floats.write(seed, dy);
            INDArray dx = net.backward(dy, a, b + 1);
            int inC = (int) dx.size(1);
            Check.divides("groups", groups, "the input channels of " + from, inC);
            int inPer = inC / groups;
            int inPlane = (int) (dx.size(2) * dx.size(3));
            float[] v = Floats.read(dx.dup('c'));
            for (int s = 0; s < n; s++) {
                for (int c = 0; c < inC; c++) {
                    for (int p = 0; p < inPlane; p++) {
                        double x = Math.abs(v[(s * inC + c) * inPlane + p]);
                        int j = c / inPer;
                        g[i][j] = Math.max(g[i][j], x);
                    }
                }
            }
        }
        return g;
    }

    /** The output of layer {@code to - 1} for one batch of images from {@code start}, in evaluation mode. */
    private static INDArray forward(Network net, Images images, int start, int to) {
        int b = Math.min(BATCH, images.size() - start);
        return net.forward(images.batch(start, b, new int[b]), false, 0, to);
    }
}
