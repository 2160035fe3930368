package effconv.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import effconv.layers.Conv2d;
import effconv.layers.Residual;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.lower.Fusions;
import effconv.lower.Lowering;

/** FusedNet asks the lowering first: what it cannot lower is refused with the lowering's one message. */
class FusedLoweringTest {

    @Test
    void aLoneAddIsRefusedByTheLoweringBeforeAnythingIsBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FusedNet.compile(
                new Sequence(List.of(Conv2d.of(8, 8, 1), new Residual.Add())), new Shape(8, 6, 6), 1));
        assertTrue(e.getMessage().startsWith("layer 1: Add is not allowed on its own")
                && e.getMessage().contains(Lowering.SUPPORTED), e.getMessage());
    }

    @Test
    void stepsSayWhichFusionsTheLoweringMakes() {
        assertEquals(Fusions.all(), FusedNet.Steps.all().fusions());
        assertEquals(new Fusions(false, true, false),
                FusedNet.Steps.all().foldBatchNorm(false).groupedPrimitive(false).fusions());
    }
}
