package effconv;

import effconv.bench.Breakdown;
import effconv.bench.Machine;
import effconv.models.Model;
import effconv.models.Models;
import effconv.report.Rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import tech.tablesaw.api.Table;

/** The small helpers lessons use so their cells show the idea: Breakdown, Machine, Summary.row, arithmeticTable. */
class LessonHelpersTest {

    @Test
    void breakdownCountsEveryLeafAndEveryMacOnce() {
        Model net = Models.shufflenetV1(3, 0.25);
        Table t = Breakdown.time(net, 0, 0.001);
        assertEquals(net.body().leaves(net.input()).size(), t.longColumn("calls").sum(), 0);
        assertEquals(net.macs(), t.longColumn("MACs").sum(), 0);
        assertTrue(t.stringColumn("layer kind").asList().contains("ChannelShuffle"));
        assertEquals(100, t.doubleColumn("MACs %").sum(), 0.5);
    }

    @Test
    void machinePeakIsCoresTimesClockTimesFlopsPerCycle() {
        Machine m = new Machine("test", 2, 2.5, 8, 2);
        assertEquals(32, m.flopsPerCycle());
        assertEquals(160, m.peakGflops(), 1e-9);
        Machine here = Machine.here();
        assertTrue(here.cores() >= 1 && here.flopsPerCycle() >= 4, here::toString);
        double ghz = Machine.measuredClockGHz();
        assertTrue(ghz > 0.3 && ghz < 10, () -> "measured clock " + ghz + " GHz");
    }

    @Test
    void summaryRowAndArithmeticTable() {
        Model v1 = Models.mobilenetV1(1, 224);
        assertEquals(1_025_000, v1.summary().row("fc").params());
        assertThrows(IllegalArgumentException.class, () -> v1.summary().row("nope"));
        Table t = v1.arithmeticTable();
        assertEquals(28, t.rowCount()); // conv1, 13 × (dw, pw), fc
        assertEquals(v1.macs(), t.longColumn("MACs").sum(), 0);
    }

    @Test
    void rowsRefusesAWrongNumberOfValues() {
        Rows r = Rows.of("t", "a", "b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.add(1));
        assertTrue(e.getMessage().contains("2 columns"), e.getMessage());
    }
}
