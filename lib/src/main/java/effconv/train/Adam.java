package effconv.train;

import effconv.layers.Check;
import effconv.runtime.Floats;
import java.util.List;

/** Adam (Kingma &amp; Ba), as PyTorch's {@code torch.optim.Adam} computes it, on every parameter of a network. */
public final class Adam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final List<Param> params;
    private final double lr;
    private final float[][] m;
    private final float[][] v;
    private float[] p;
    private float[] g;
    private int t;

    Adam(List<Param> params, double lr) {
        this.params = params;
        this.lr = lr;
        m = new float[params.size()][];
        v = new float[params.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new float[(int) params.get(i).value().length()];
            v[i] = new float[m[i].length];
        }
    }

    /** Adam over every parameter of the network, at learning rate lr (the course trains at 0.002). */
    public static Adam of(Network network, double lr) {
        Check.notNull("network", network);
        if (!(lr > 0 && lr < 1)) {
            throw new IllegalArgumentException("lr = " + lr + " is not allowed: a learning rate between 0 and 1 "
                    + "(the course uses " + Training.LEARNING_RATE + ")");
        }
        return new Adam(network.params(), lr);
    }

    /** One update of every parameter from the gradients the last backward pass left. */
    public void step() {
        step(lr);
    }

    /**
     * One update at learning rate {@code rate} instead of the one Adam was made with: what a learning-rate schedule
     * does (PyTorch's schedulers change the optimiser's rate the same way, between steps).
     */
    public void step(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("rate = " + rate + " is not allowed: a learning rate from 0 to 1");
        }
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        for (int k = 0; k < m.length; k++) {
            Param param = params.get(k);
            int n = m[k].length;
            p = Floats.scratch(p, n);
            g = Floats.scratch(g, n);
            Floats.read(param.value(), p);
            Floats.read(param.grad(), g);
            float[] mk = m[k];
            float[] vk = v[k];
            for (int i = 0; i < n; i++) {
                mk[i] = (float) (BETA1 * mk[i] + (1 - BETA1) * g[i]);
                vk[i] = (float) (BETA2 * vk[i] + (1 - BETA2) * g[i] * g[i]);
                p[i] -= (float) (rate * (mk[i] / c1) / (Math.sqrt(vk[i] / c2) + EPS));
            }
            Floats.write(p, param.value());
        }
    }
}
