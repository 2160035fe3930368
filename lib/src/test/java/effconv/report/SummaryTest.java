package effconv.report;

import effconv.layers.Conv2d;
import effconv.layers.SeparableConv;
import effconv.layers.Shape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SummaryTest {

    @ParameterizedTest
    @CsvSource({
        // Python: "%0.2f" % v rounds the exact binary value half-even
        "0.125, 0.12", "0.375, 0.38", "2.675, 2.67", "1.005, 1.00", "0.285, 0.28", "5.26, 5.26", "0.0, 0.00",
        "1234.5, 1234.50"})
    void twoDecimalsRoundsLikePython(double v, String printed) {
        assertEquals(printed, Summary.twoDecimals(v));
    }

    @Test
    void thousandsLikePython() {
        assertEquals("4,900,000", Summary.thousands(4_900_000));
        assertEquals("900", Summary.thousands(900));
        assertEquals("0", Summary.thousands(0));
    }

    @Test
    void memoryFiguresFollowTorchsummary() {
        Summary s = Summary.of(Conv2d.of(100, 1000, 3), Shape.of(100, 17));
        assertEquals(100 * 17 * 17 * 4 / 1048576.0, s.inputMb(), 0);
        assertEquals(2.0 * 1000 * 15 * 15 * 4 / 1048576.0, s.forwardBackwardMb(), 0);
        assertEquals(900_000 * 4 / 1048576.0, s.paramsMb(), 0);
    }

    @Test
    void tableHasOneRowPerModuleWithMacs() {
        var t = Summary.of(SeparableConv.of(100, 1000, 3), Shape.of(100, 17)).table();
        assertEquals(2, t.rowCount());
        assertEquals(900L * 225, t.longColumn("MACs").get(0));
        assertEquals("Conv2d-2", t.stringColumn("Layer (type)").get(1));
    }
}
