package effconv.train;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.ChannelShuffle;
import effconv.layers.Conv2d;
import effconv.layers.FullyConnected;
import effconv.layers.GlobalAvgPool;
import effconv.layers.Layer;
import effconv.layers.Pool;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.models.Model;
import effconv.runtime.Floats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * Every module's backward pass against central differences of the forward pass: the loss is Σ y·r for a fixed
 * random r, so dL/dy = r; the gradients of the input and of every parameter are checked at sampled positions.
 */
class GradientTest {

    private static final Shape INPUT = Shape.of(4, 8);

    static Model net(Layer... layers) {
        return new Model("check", INPUT, new Sequence(List.of(layers)));
    }

    static List<Model> cases() {
        return List.of(
                net(Conv2d.of(4, 6, 3).padding(1).stride(2).bias(true)),
                net(Conv2d.of(4, 6, 3).padding(1).groups(2)),
                net(Conv2d.of(4, 8, 1).groups(4)),
                net(Conv2d.of(4, 8, 3).padding(1).groups(4)), // depthwise with multiplier 2
                net(new BatchNorm(4)),
                net(Conv2d.of(4, 4, 1)),
                net(Conv2d.of(4, 4, 3).padding(1)),
                net(Activation.RELU),
                net(new ChannelShuffle(2)),
                net(Pool.max(2, 2)),
                net(new GlobalAvgPool(), FullyConnected.of(4, 5)),
                net(Conv2d.of(4, 8, 1).groups(2), new BatchNorm(8), Activation.RELU, new ChannelShuffle(2),
                        Conv2d.of(8, 8, 3).padding(1).groups(8), new BatchNorm(8), Pool.max(2, 2), new GlobalAvgPool(),
                        FullyConnected.of(8, 3)));
    }

    @Test
    void backwardMatchesCentralDifferences() {
        for (Model m : cases()) {
            check(m);
        }
    }

    private static void check(Model m) {
        Network net = Network.of(m, 7);
        Random r = new Random(11);
        INDArray x = Floats.create(3, INPUT.channels(), INPUT.height(), INPUT.width());
        float[] xv = awayFromZero(r, (int) x.length());
        Floats.write(xv, x);
        INDArray y = net.forward(x, true);
        float[] rv = gaussian(r, (int) y.length());
        INDArray dy = Floats.create(y.shape());
        Floats.write(rv, dy);
        int n = net.modules().size();
        float[] dx = Floats.read(net.backward(dy, 0, n).dup('c'));
        List<float[]> grads = net.params().stream().map(p -> Floats.read(p.grad().dup('c'))).toList();

        // the input's gradient
        for (int k = 0; k < 12; k++) {
            int i = r.nextInt(xv.length);
            double numeric = numeric(net, x, xv, i, rv);
            assertClose(m + " dL/dx[" + i + "]", numeric, dx[i]);
        }
        // every parameter's gradient
        for (int p = 0; p < net.params().size(); p++) {
            Param param = net.params().get(p);
            float[] v = Floats.read(param.value().dup('c'));
            for (int k = 0; k < 6; k++) {
                int i = r.nextInt(v.length);
                float old = v[i];
                v[i] = old + EPS;
                Floats.write(v, param.value());
                double plus = loss(net, x, rv);
                v[i] = old - EPS;
                Floats.write(v, param.value());
                double minus = loss(net, x, rv);
                v[i] = old;
                Floats.write(v, param.value());
                assertClose(m + " " + param.name() + "[" + i + "]", (plus - minus) / (2 * EPS), grads.get(p)[i]);
            }
        }
    }

    /** Gaussian values kept at least 0.1 away from 0, where ReLU's kink would spoil a central difference of width 2ε. */
    static float[] awayFromZero(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            v[i] = (float) (g + Math.signum(g) * 0.1);
        }
        return v;
    }

    /** Standard Gaussian values. */
    static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static final float EPS = 1e-2f;

    private static double numeric(Network net, INDArray x, float[] xv, int i, float[] rv) {
        float old = xv[i];
        xv[i] = old + EPS;
        Floats.write(xv, x);
        double plus = loss(net, x, rv);
        xv[i] = old - EPS;
        Floats.write(xv, x);
        double minus = loss(net, x, rv);
        xv[i] = old;
        Floats.write(xv, x);
        return (plus - minus) / (2 * EPS);
    }

    private static double loss(Network net, INDArray x, float[] rv) {
        float[] y = Floats.read(net.forward(x, true).dup('c'));
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (double) y[i] * rv[i];
        }
        return s;
    }

    private static void assertClose(String what, double numeric, double analytic) {
        double tol = 2e-2 * Math.max(1, Math.abs(numeric));
        assertTrue(Math.abs(numeric - analytic) <= tol, what + ": numeric " + numeric + " vs backward " + analytic);
    }

    @Test
    void lossGradientIsSoftmaxMinusOneHot() {
        float[] logits = {1f, 2f, 0.5f, -1f, 0f, 3f};
        float[] grad = new float[6];
        int[] correct = new int[1];
        double loss = Loss.crossEntropy(logits, new int[] {1, 0}, 2, 3, grad, correct);
        double l0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0.5)) - 2;
        double l1 = Math.log(Math.exp(-1) + Math.exp(0) + Math.exp(3)) + 1;
        assertEquals((l0 + l1) / 2, loss, 1e-6);
        assertEquals(1, correct[0]);
        double s0 = Math.exp(1) + Math.exp(2) + Math.exp(0.5);
        assertEquals((Math.exp(2) / s0 - 1) / 2, grad[1], 1e-6);
    }
}
