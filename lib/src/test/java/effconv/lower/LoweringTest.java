package effconv.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.Conv2d;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.Residual;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.models.Model;
import effconv.models.Models;

/** The lowering's fusion decisions and names, checked without any native library. */
class LoweringTest {

    private static final Shape IN = new Shape(8, 6, 6);

    private static Layer convBnRelu(int in, int out) {
        return new Sequence(List.of(Conv2d.of(in, out, 3).padding(1), new BatchNorm(out),
                new Activation(Activation.Kind.RELU)));
    }

    /** The draw formulas every engine uses: u in [0, 1) spread over ±bound, or centre ± spread added in float. */
    @Test
    void weightInitsDrawAsTheirFormulasSay() {
        Weight.Init u = new Weight.Uniform(0.5);
        assertEquals(-0.5f, u.draw(0));
        assertEquals(0f, u.draw(0.5));
        assertEquals(0.25f, u.draw(0.75));
        Weight.Init a = new Weight.Around(1, 0.2);
        assertEquals(1f, a.draw(0.5));
        assertEquals((float) (-0.2) + 1f, a.draw(0));
        assertEquals((float) ((0.9 * 2 - 1) * 0.2) + 1f, a.draw(0.9));
    }

    @Test
    void convAbsorbsItsBatchNormAndActivationWhenFusing() {
        Lowered all = Lowering.lower(convBnRelu(8, 16), IN, Fusions.all());
        assertEquals(1, all.ops().size(), all.toString());
        Op.Conv c = (Op.Conv) all.ops().get(0);
        assertEquals("1/gamma", c.foldedNorm().gamma().name());
        assertEquals(Activation.Kind.RELU, c.activation());
        assertEquals(new Shape(16, 6, 6), c.outShape());

        Lowered none = Lowering.lower(convBnRelu(8, 16), IN, Fusions.none());
        assertEquals(List.of(Op.Conv.class, Op.Norm.class, Op.Act.class),
                none.ops().stream().map(Object::getClass).toList(), none.toString());
        assertNull(((Op.Conv) none.ops().get(0)).foldedNorm());
        // the same weights, by the same names, whatever is fused: fusing never changes what is learned
        assertEquals(all.weights(), none.weights());
    }

    @Test
    void residualSumGoesIntoTheBodysLastConvolution() {
        Layer body = new Sequence(List.of(convBnRelu(16, 16), Conv2d.of(16, 16, 1), new BatchNorm(16)));
        Layer net = new Sequence(List.of(convBnRelu(8, 16), new Residual(body),
                new Activation(Activation.Kind.RELU)));
        Lowered l = Lowering.lower(net, IN, Fusions.all());
        assertEquals(3, l.ops().size(), l.toString());
        Op.Conv last = (Op.Conv) l.ops().get(2);
        assertEquals(l.ops().get(0).out(), last.sumInto(), l.toString());
        assertNull(last.activation());
        assertEquals(Activation.Kind.RELU, last.afterSum());
        assertEquals(last.out(), l.output());

        Lowered none = Lowering.lower(net, IN, Fusions.none());
        Op.Add add = (Op.Add) none.ops().get(none.ops().size() - 2);
        assertNull(add.activation());
        assertEquals(Op.Act.class, none.ops().get(none.ops().size() - 1).getClass());
    }

    @Test
    void theNetworksInputIsNeverSummedInto() {
        Lowered l = Lowering.lower(new Residual(Conv2d.of(8, 8, 1)), IN, Fusions.all());
        assertEquals(List.of(Op.Conv.class, Op.Add.class), l.ops().stream().map(Object::getClass).toList());
        assertEquals(-1, ((Op.Conv) l.ops().get(0)).sumInto());
    }

    @Test
    void everyModelLowersWithUniqueNamesItsParametersAndItsOutputShape() {
        for (Model m : List.of(Models.alexnet(2), Models.squeezenet(224), Models.xception(true),
                Models.mobilenetV1(1.0, 224), Models.mobilenetV2(1.0, 224), Models.shufflenetV1(3, 1.0))) {
            for (Fusions f : List.of(Fusions.all(), Fusions.none())) {
                Lowered l = Lowering.lower(m.body(), m.input(), f);
                assertEquals(l.weights().size(), new HashSet<>(l.byName().keySet()).size(), m.name());
                long learned = l.weights().stream().filter(Weight::learned).mapToLong(Weight::numel).sum();
                assertEquals(m.body().params(), learned, m.name());
                // batch norm's running statistics are the only weights that are not learned
                assertTrue(l.weights().stream().allMatch(w -> w.learned() != (w.name().endsWith("/mean")
                        || w.name().endsWith("/var"))), m.name());
                // without an input shape, the same list: what the reference engine draws before it sees input
                assertEquals(l.weights(), Lowering.weights(m.body()), m.name());
                assertEquals(m.body().outputShape(m.input()), l.values().get(l.output()), m.name());
                for (Op op : l.ops()) { // values are written once, in order
                    assertEquals(l.values().get(op.out()), op.outShape(), m.name() + " " + op);
                }
            }
        }
    }

    @Test
    void everyOpSaysWhatItReadsSoAnEngineKnowsWhenAValueIsDead() {
        // ShuffleNet's units: a residual sum into the unit's input, and concatenations of two branches
        Lowered l = Lowering.lower(Models.shufflenetV1(3, 0.5).body(), Models.shufflenetV1(3, 0.5).input(),
                Fusions.all());
        for (Op op : l.ops()) {
            for (int v : op.inputs()) {
                assertTrue(v < op.out(), op + " reads v" + v + " before it is written");
            }
        }
        assertTrue(l.ops().stream().anyMatch(op -> op instanceof Op.Conv c && c.sumInto() >= 0
                && java.util.Arrays.stream(c.inputs()).anyMatch(v -> v == c.sumInto())), l.table(20));
        assertTrue(l.ops().stream().anyMatch(op -> op instanceof Op.ConcatSlice c && c.inputs().length == 2));
    }

    @Test
    void batchNormFoldsAsItsScaleAndShift() {
        float[] gamma = {2f, 0.5f};
        float[] beta = {1f, -1f};
        float[] mean = {0.5f, 2f};
        float[] var = {3f, 0.25f};
        ScaleShift ss = ScaleShift.of(gamma, beta, mean, var);
        for (int c = 0; c < 2; c++) {
            double scale = gamma[c] / Math.sqrt(var[c] + effconv.layers.BatchNorm.EPS);
            assertEquals((float) scale, ss.scale()[c]);
            assertEquals((float) (beta[c] - mean[c] * scale), ss.shift()[c], 1e-6);
        }
        // a 1×1 convolution with 2 output channels of 3 weights each, and a bias, then the norm: y = (w·x + b)·s + t
        float[] w = {1, 2, 3, 4, 5, 6};
        float[] b = {0.5f, -0.5f};
        float[][] f = ss.fold(w, b);
        for (int o = 0; o < 2; o++) {
            for (int k = 0; k < 3; k++) {
                assertEquals(w[o * 3 + k] * ss.scale()[o], f[0][o * 3 + k], 1e-6);
            }
            assertEquals(b[o] * ss.scale()[o] + ss.shift()[o], f[1][o], 1e-6);
        }
        assertEquals(java.util.Arrays.toString(ss.scale()), java.util.Arrays.toString(ss.fold(null, null)[0]));
    }

    @Test
    void namesFollowThePathsASummaryShows() {
        Lowered l = Lowering.lower(new Sequence(List.of(new Named("stem", convBnRelu(8, 16)))), IN, Fusions.all());
        assertEquals(List.of("stem/0/weight", "stem/1/gamma", "stem/1/beta", "stem/1/mean", "stem/1/var"),
                l.weights().stream().map(Weight::name).toList());
        String table = l.toString();
        assertTrue(table.contains("stem/0 ") && table.contains("batch norm (folded) + ReLU"), table);
    }

    @Test
    void aTableOfTheFirstOpsSaysHowManyFollow() {
        Lowered l = Lowering.lower(convBnRelu(8, 16), IN, Fusions.none());
        String head = l.table(1);
        assertEquals(l.toString().lines().limit(2).toList(), head.lines().limit(2).toList(), head);
        assertTrue(head.contains("… 2 more ops") && head.endsWith("output v3, 5 weights"), head);
        assertEquals(l.toString(), l.table(3));
        assertThrows(IllegalArgumentException.class, () -> l.table(0));
    }

    @Test
    void aLoneAddIsRefusedNamingWhatIsSupported() {
        Layer bad = new Sequence(List.of(Conv2d.of(8, 8, 1), new Residual.Add()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Lowering.lower(bad, IN, Fusions.all()));
        assertTrue(e.getMessage().startsWith("layer 1: Add is not allowed on its own"), e.getMessage());
        assertTrue(e.getMessage().contains(Lowering.SUPPORTED), e.getMessage());
        IllegalArgumentException shapeless = assertThrows(IllegalArgumentException.class,
                () -> Lowering.weights(bad));
        assertEquals(e.getMessage(), shapeless.getMessage());
    }
}
