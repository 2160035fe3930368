package effconv.layers;

import effconv.models.Models;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Random configurations, valid and not: every one either works, with a shape that fits the formula, or fails with
 * an IllegalArgumentException that names a parameter and its value — never another exception, never a crash.
 */
class InvalidPropertyTest {

    static final List<String> NAMES = List.of("inChannels", "outChannels", "kernel", "stride", "padding",
            "dilation", "groups", "channels", "height", "width", "multiplier", "input channels");

    static void expectCleanOutcome(String what, Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            assertTrue(NAMES.stream().anyMatch(n -> m.contains(n + " = ")) && m.contains("not allowed"),
                    what + ": message does not name a parameter and its value: " + m);
        } catch (RuntimeException e) {
            fail(what + ": threw " + e + " instead of IllegalArgumentException");
        }
    }

    @Test
    void randomConvolutions() {
        SplittableRandom rnd = new SplittableRandom(99);
        for (int i = 0; i < 2000; i++) {
            int in = rnd.nextInt(-2, 9), out = rnd.nextInt(-2, 9), k = rnd.nextInt(-1, 8), s = rnd.nextInt(-1, 4);
            int p = rnd.nextInt(-2, 4), d = rnd.nextInt(-1, 4), g = rnd.nextInt(-1, 5);
            int c = rnd.nextInt(-1, 9), h = rnd.nextInt(-1, 12), w = rnd.nextInt(-1, 12);
            String what = String.format("Conv2d(%d, %d, k=%d, s=%d, p=%d, d=%d, g=%d) on %d×%d×%d", in, out, k, s, p,
                    d, g, c, h, w);
            expectCleanOutcome(what, () -> {
                Conv2d conv = new Conv2d(in, out, k, s, p, d, g, false);
                Shape o = conv.outputShape(Shape.of(c, h, w));
                int expected = (h + 2 * p - d * (k - 1) - 1) / s + 1;
                assertTrue(o.height() == expected && o.height() >= 1, what);
            });
            expectCleanOutcome(what + " depthwise", () -> new DepthwiseConv(in, g, k, s, p, d, false)
                    .outputShape(Shape.of(c, h, w)));
            expectCleanOutcome(what + " pool", () -> new Pool(Pool.Kind.MAX, k, s, p, g % 2 == 0)
                    .outputShape(Shape.of(c, h, w)));
            expectCleanOutcome(what + " shuffle", () -> new ChannelShuffle(g).outputShape(Shape.of(c, h, w)));
        }
    }

    @Test
    void randomNetworks() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            double alpha = rnd.nextDouble(-0.5, 2.5);
            int res = rnd.nextInt(-10, 300);
            int g = rnd.nextInt(-1, 10);
            String what = "alpha " + alpha + ", resolution " + res + ", groups " + g;
            for (Runnable r : List.<Runnable>of(() -> Models.mobilenetV1(alpha, res), () -> Models.mobilenetV2(alpha, res),
                    () -> Models.squeezenet(res), () -> Models.shufflenetV1(g, alpha), () -> Models.alexnet(g))) {
                try {
                    r.run();
                } catch (IllegalArgumentException e) {
                    assertTrue(e.getMessage().contains(" = ") && e.getMessage().contains("not allowed"),
                            what + ": " + e.getMessage());
                }
            }
        }
    }
}
