package effconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class ChartTest {

    Chart chart() {
        return Chart.line("Params against K").x("K", new int[] {1, 3, 5, 7}).y("params").logY()
                .series("standard", new long[] {100_000, 900_000, 2_500_000, 4_900_000})
                .dashed("formula", new double[] {1, 2, 3, 4});
    }

    @Test
    void sameDataSameBytes() throws Exception {
        assertArrayEquals(chart().toPng(2), chart().toPng(2));
        assertEquals(chart().toSvg(), chart().toSvg());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(chart().toPng(2)));
        assertEquals(2 * Chart.width(), img.getWidth());
    }

    @Test
    void svgHasEverySeriesAndLogTicks() {
        String svg = chart().toSvg();
        assertTrue(svg.contains(">standard</text>") && svg.contains(">formula</text>"));
        assertTrue(svg.contains(">1M</text>") && svg.contains(">100k</text>"), svg);
        assertTrue(svg.contains("params (log scale)"));
    }

    @Test
    void aChartWithNothingToDrawSaysSo() {
        assertThrows(IllegalArgumentException.class, () -> Chart.line("empty").x("x", new int[] {1}).toSvg());
        Chart negative = Chart.line("n").x("x", new int[] {1}).logY().series("s", new double[] {-1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, negative::toSvg);
        assertTrue(e.getMessage().contains("log axis"));
    }

    @Test
    void tickLabels() {
        assertEquals("15k", Chart.number(15_000));
        assertEquals("1500", Chart.number(1500));
        assertEquals("900", Chart.number(900));
        assertEquals("4.9M", Chart.number(4_900_000));
        assertEquals("0.25", Chart.number(0.25));
    }

    @Test
    void barsDrawOneRectanglePerValue() {
        String svg = Chart.bars("shares", "a", "b", "c").series("params", new double[] {10, 20, 70})
                .series("MACs", new double[] {50, 25, 25}).toSvg();
        assertTrue(svg.contains(">a</text>") && svg.contains(">MACs</text>"));
        // 6 bars + 2 legend swatches + the white background
        assertEquals(9, svg.split("<rect ").length - 1 - 1, svg);
        assertThrows(IllegalArgumentException.class, () -> Chart.bars("none"));
    }
}
