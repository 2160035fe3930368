package effconv.experiments;

import effconv.layers.Check;
import effconv.runtime.Floats;
import effconv.train.Images;
import effconv.train.Network;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How alike a trained network's channels respond, within one layer and between two: the sums behind
 * {@link Analysis#correlation} and {@link Analysis#interLayer}, accumulated batch by batch over the images.
 */
final class Correlations {
    private Correlations() {
    }

    static Analysis.Correlation within(Network net, String layer, Images images, int groups) {
        Check.notNull("net", net);
        int at = net.indexOf(layer);
        double[] sum = null;
        double[][] cross = null;
        long count = 0;
        int channels = 0;
        for (int s = 0; s < images.size(); s += Analysis.BATCH) {
            INDArray out = Analysis.forward(net, images, s, at + 1);
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
        GroupMeans means = new GroupMeans();
        for (int a = 0; a < channels; a++) {
            for (int b = a; b < channels; b++) {
                double cov = cross[a][b] / count - (sum[a] / count) * (sum[b] / count);
                double c = sd[a] > 0 && sd[b] > 0 ? cov / (sd[a] * sd[b]) : 0;
                r[a][b] = c;
                r[b][a] = c;
                if (a != b) {
                    means.add(a / per == b / per, c);
                }
            }
        }
        return means.of(layer, groups, r);
    }

    static Analysis.Correlation interLayer(Network net, String from, String to, Images images, int groups) {
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
        for (int s = 0; s < images.size(); s += Analysis.BATCH) {
            INDArray x = Analysis.forward(net, images, s, a0 + 1);
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
        GroupMeans means = new GroupMeans();
        for (int a = 0; a < ca; a++) {
            double ma = sa[a] / count;
            double sda = Math.sqrt(Math.max(0, sqa[a] / count - ma * ma));
            for (int b = 0; b < cb; b++) {
                double mb = sb[b] / count;
                double sdb = Math.sqrt(Math.max(0, sqb[b] / count - mb * mb));
                double c = sda > 0 && sdb > 0 ? (cross[a][b] / count - ma * mb) / (sda * sdb) : 0;
                r[a][b] = c;
                means.add(a / perA == b / perB, c);
            }
        }
        return means.of(from + " → " + to, groups, r);
    }

    /** Mean |r| over the pairs in the same group and over those in different groups (NaN where there are none). */
    private static final class GroupMeans {
        private double within;
        private double between;
        private long nw;
        private long nb;

        void add(boolean sameGroup, double r) {
            if (sameGroup) {
                within += Math.abs(r);
                nw++;
            } else {
                between += Math.abs(r);
                nb++;
            }
        }

        Analysis.Correlation of(String layer, int groups, double[][] matrix) {
            return new Analysis.Correlation(layer, groups, matrix, nw == 0 ? Double.NaN : within / nw,
                    nb == 0 ? Double.NaN : between / nb);
        }
    }
}
