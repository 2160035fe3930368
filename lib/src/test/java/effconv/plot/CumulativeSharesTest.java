package effconv.plot;

import effconv.models.Models;
import org.junit.jupiter.api.Test;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

import java.lang.reflect.Field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CumulativeSharesTest {

    @Test
    void sharesRiseToAHundredPercentAlongOneAxis() throws Exception {
        Figure f = Plot.cumulativeShares("t", Models.mobilenetV2(1, 224), Models.xception(true));
        Trace[] traces = f.getTraces();
        assertEquals(4, traces.length);
        for (Trace t : traces) {
            double[] y = ys((ScatterTrace) t);
            assertEquals(101, y.length);
            assertEquals(100.0, y[100], 1e-9);
            for (int i = 1; i < y.length; i++) assertTrue(y[i] >= y[i - 1], "cumulative: never falls");
        }
        // MobileNetV2's classifier alone holds over a third of its parameters: the last percent of the depth jumps
        double[] v2params = ys((ScatterTrace) traces[1]);
        assertTrue(v2params[100] - v2params[98] > 30, String.valueOf(v2params[98]));
        assertThrows(IllegalArgumentException.class, () -> Plot.cumulativeShares("t", (effconv.models.Model) null));
    }

    private static double[] ys(ScatterTrace t) throws Exception {
        Field y = ScatterTrace.class.getDeclaredField("y");
        y.setAccessible(true);
        Object v = y.get(t);
        return v instanceof double[] d ? d : java.util.Arrays.stream((Object[]) v).mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }
}
