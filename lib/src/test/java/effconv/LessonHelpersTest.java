package effconv;

import effconv.bench.Breakdown;
import effconv.models.Model;
import effconv.models.Models;
import effconv.report.Rows;
import effconv.report.Summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import tech.tablesaw.api.Table;

/** The small helpers lessons use so their cells show the idea: Breakdown, Summary.row, arithmeticTable. */
class LessonHelpersTest {

    @Test
    void breakdownCountsEveryLeafAndEveryMacOnce() {
        Model net = Models.shufflenetV1(3, 0.25);
        Table t = Breakdown.time(net, 0, 0.005);
        assertEquals(net.body().leaves(net.input()).size(), t.longColumn("layers").sum(), 0);
        assertEquals(net.macs(), t.longColumn("MACs").sum(), 0);
        assertTrue(t.stringColumn("layer kind").asList().contains("ChannelShuffle"));
        assertEquals(100, t.doubleColumn("MACs %").sum(), 0.5);
    }

    @Test
    void summaryRowAndArithmeticTable() {
        Model v1 = Models.mobilenetV1(1, 224);
        assertEquals(1_025_000, Summary.of(v1).row("fc").params());
        assertThrows(IllegalArgumentException.class, () -> Summary.of(v1).row("nope"));
        Table t = Summary.of(v1).arithmeticTable();
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
