package effconv.report;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lessons' comparisons with the papers: how many printed figures the count reproduces exactly, and that every one
 * it does not is explained (or called unexplained) by a note in data/. ModelsTest checks the same counts its own way.
 */
class PapersTest {

    /** table → {figures equal as printed, figures that differ}. */
    private static final Map<String, int[]> EXPECTED = Map.ofEntries(
            Map.entry("squeezenetTable1", new int[] {6, 0}),
            Map.entry("squeezenetVsAlexnet", new int[] {1, 1}),      // AlexNet's 240 MB: a round figure
            Map.entry("alexnetFilterGroups", new int[] {3, 3}),      // MACs: one bias per filter
            Map.entry("shufflenetTable1", new int[] {2, 3}),         // g = 2 printed without decimals; g = 4, 8: 1%
            Map.entry("shufflenetTable2Labels", new int[] {1, 2}),   // round labels for all g
            Map.entry("mobilenetTable2", new int[] {7, 1}),          // 1.19 printed for 1.91
            Map.entry("mobilenetTable3", new int[] {8, 0}),
            Map.entry("mobilenetTables4to7", new int[] {14, 2}),     // 290.68 printed 290; Conv MobileNet without its classifier
            Map.entry("mobilenetTable5", new int[] {4, 0}),
            Map.entry("mobilenetV2Table4", new int[] {0, 4}),        // decimals dropped; batch norm; 1.4's channels
            Map.entry("xceptionTable3", new int[] {1, 0}));

    private static Table table(String name) {
        return switch (name) {
            case "squeezenetTable1" -> Papers.squeezenetTable1();
            case "squeezenetVsAlexnet" -> Papers.squeezenetVsAlexnet();
            case "alexnetFilterGroups" -> Papers.alexnetFilterGroups();
            case "shufflenetTable1" -> Papers.shufflenetTable1();
            case "shufflenetTable2Labels" -> Papers.shufflenetTable2Labels();
            case "mobilenetTable2" -> Papers.mobilenetTable2();
            case "mobilenetTable3" -> Papers.mobilenetTable3();
            case "mobilenetTables4to7" -> Papers.mobilenetTables4to7();
            case "mobilenetTable5" -> Papers.mobilenetTable5();
            case "mobilenetV2Table4" -> Papers.mobilenetV2Table4();
            case "xceptionTable3" -> Papers.xceptionTable3();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Test
    void everyComparisonReproducesWhatItShouldAndExplainsTheRest() {
        for (var e : EXPECTED.entrySet()) {
            Table t = table(e.getKey());
            assertEquals(e.getValue()[0], t.booleanColumn("equal").countTrue(), e.getKey() + "\n" + t.printAll());
            assertEquals(e.getValue()[1], t.booleanColumn("equal").countFalse(), e.getKey() + "\n" + t.printAll());
            for (int i = 0; i < t.rowCount(); i++) {
                if (!t.booleanColumn("equal").isMissing(i) && !t.booleanColumn("equal").get(i)) {
                    assertFalse(t.getString(i, "note").isBlank(), e.getKey() + " row " + i + " differs with no note");
                }
            }
        }
    }

    @Test
    void alexnetLayersDifferByOneBiasPerFilter() {
        Table t = Papers.alexnetLayers();
        Summary alex2 = Summary.of(effconv.models.Models.alexnet(2));
        for (int i = 0; i < t.rowCount(); i++) {
            double published = Compare.parse(t.getString(i, "published"));
            Summary.Row row = alex2.row(t.getString(i, "layer"));
            boolean params = t.getString(i, "figure").equals("params");
            assertEquals(published, params ? row.params() : row.macs() + row.output().channels(), 0, t.getString(i, "layer"));
        }
        assertTrue(t.rowCount() >= 16);
    }
}
