package effconv.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import effconv.jupyter.CourseExtension;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Font;
import tech.tablesaw.plotly.components.Grid;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.HeatmapTrace;
import tech.tablesaw.plotly.traces.PieTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * Figures to plotly JSON (golden files for every kind of chart the lessons draw, as the notebook gets them), the
 * fixes to tablesaw-jsplot's plotly 1.x output, the checks that refuse what plotly.js 4 would reject, the one display
 * bundle a chart becomes, and the pictures: deterministic, uncut, with nothing touching their border.
 */
class PlotTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** {@code mvn test -Deffconv.plot.update=true} rewrites the golden files (then read the diff). */
    static final boolean UPDATE = Boolean.getBoolean("effconv.plot.update");
    static final Path GOLDEN = Path.of("src/test/resources/plot");

    /** One chart of each kind the lessons draw. */
    static Map<String, Object> charts() {
        Map<String, Object> c = new LinkedHashMap<>();
        int[] ks = {1, 3, 5, 7, 9, 11};
        Table t = Table.create("k", IntColumn.create("K", ks),
                DoubleColumn.create("standard", new double[] {8192, 73728, 204800, 401408, 663552, 991232}),
                DoubleColumn.create("separable", new double[] {8256, 8768, 9792, 11328, 13376, 15936}));
        c.put("table-lines-log-y", Plot.lines(Plot.layout("Parameters against kernel size",
                Plot.axis("kernel size K"), Plot.logAxis("parameters")), t, "K", "standard", "separable"));
        double[] n = {1, 4, 16, 64, 256, 1024};
        double[] ratio = new double[n.length];
        double[] formula = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            ratio[i] = 1 / n[i] + 1 / 9.0 + (i == 2 ? Double.NaN : 0);
            formula[i] = 1 / n[i] + 1 / 9.0;
        }
        c.put("lines-dashed-log-xy", new Figure(Plot.layout("Separable / standard cost against output channels N",
                Plot.logAxis("output channels N"), Plot.logAxis("cost ratio")),
                Plot.line("counted MAC ratio", n, ratio), Plot.dashed("1/N + 1/K² (a gap at N = 16)", n, formula)));
        String[] kinds = {"Conv 1×1", "Conv DW 3×3", "Conv 3×3", "Fully connected"};
        c.put("bars", new Figure(Plot.layout("Where the parameters go", Plot.axis("layer type"),
                Plot.axis("share, %")), Plot.bars("MobileNetV2", kinds, new double[] {70.5, 2.1, 0.3, 27.1}),
                Plot.bars("Xception", kinds, new double[] {89.0, 0.7, 0.3, 9.9})));
        double[][] blocks = new double[6][6];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                blocks[i][j] = i / 2 == j / 2 ? 1 : 0;
            }
        }
        c.put("heatmap", Plot.heatmap("Which input channels each output channel sees (g = 3)", "input channel",
                "output channel", blocks));
        c.put("heatmap-row", Plot.row("Depthwise output, one filter per channel",
                Plot.heatmap("vertical edges", "column", "row", new double[][] {{0, 1, -1}, {0, 2, -2}}),
                Plot.heatmap("blur", "column", "row", new double[][] {{0, 0.25, 0.5}, {0.25, 0.5, 1}})));
        return c;
    }

    static List<String> names() {
        return List.copyOf(charts().keySet());
    }

    /** The plotly figure the notebook gets: a Figure's JSON, or a row's panels as one figure with subplots. */
    static List<ObjectNode> json(Object chart) {
        return chart instanceof FigureRow row ? List.of(row.figure()) : List.of(FigureJson.of((Figure) chart));
    }

    static Picture.Png picture(Object chart) {
        return chart instanceof FigureRow row ? Picture.of(row.title(), row.json())
                : Picture.of(FigureJson.of((Figure) chart));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void jsonMatchesTheGoldenFile(String name) throws Exception {
        String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json(charts().get(name))) + "\n";
        Path file = GOLDEN.resolve(name + ".json");
        if (UPDATE) {
            Files.writeString(file, pretty, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), pretty, name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void picturesAreDeterministicSharpAndUncut(String name) throws Exception {
        Object chart = charts().get(name);
        Picture.Png a = picture(chart);
        Picture.Png b = picture(charts().get(name));
        assertArrayEquals(a.bytes(), b.bytes(), "same figure, same bytes");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(a.bytes()));
        assertEquals(Picture.SCALE * a.width(), img.getWidth());
        assertBorderBlank(img, name);
    }

    @Test
    void aLongTitleWrapsInsteadOfBeingCut() throws Exception {
        String title = "Grouped convolution: measured time against counted MACs (g = 1 … 32), relative to one "
                + "group, on this machine in this run, with a title far longer than the chart is wide";
        Figure f = new Figure(Plot.layout(title, Plot.logAxis("million MACs"), Plot.logAxis("median ms")),
                Plot.line("measured", new double[] {1, 2, 4}, new double[] {3, 2, 1.5}),
                Plot.dashed("if time were proportional to MACs", new double[] {1, 2, 4}, new double[] {3, 1.5, 0.75}));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Picture.of(FigureJson.of(f)).bytes()));
        assertBorderBlank(img, "long title");
        List<String> lines = Picture.wrap(title, new java.awt.Font("SansSerif", java.awt.Font.BOLD, 15), 656);
        assertTrue(lines.size() >= 2, lines.toString());
        assertEquals(title, String.join(" ", lines));
    }

    /** No text or line in the outermost pixels: nothing was cut at the picture's edge. */
    static void assertBorderBlank(BufferedImage img, String name) {
        int w = img.getWidth();
        int h = img.getHeight();
        for (int d = 0; d < 2; d++) {
            for (int x = 0; x < w; x++) {
                assertEquals(0xffffff, img.getRGB(x, d) & 0xffffff, name + ": top edge at x = " + x);
                assertEquals(0xffffff, img.getRGB(x, h - 1 - d) & 0xffffff, name + ": bottom edge at x = " + x);
            }
            for (int y = 0; y < h; y++) {
                assertEquals(0xffffff, img.getRGB(d, y) & 0xffffff, name + ": left edge at y = " + y);
                assertEquals(0xffffff, img.getRGB(w - 1 - d, y) & 0xffffff, name + ": right edge at y = " + y);
            }
        }
    }

    @Test
    void tablesawsPlotly1OutputIsFixed() throws Exception {
        double[][] z = {{1, 2}, {3, 4}};
        Font big = Font.builder().size(22).color("#bb0000").build();
        Layout layout = Layout.builder().title("first line\nsecond \"quoted\" & <b>Students'</b>").titleFont(big)
                .grid(Grid.builder().rows(1).columns(2).build())
                .xAxis(Axis.builder().title("x 'quoted'").titleFont(big).build()).build();
        Figure f = new Figure(layout,
                ScatterTrace.builder(new double[] {0, 1, 2}, new double[] {1, Double.NaN, 3}).name("a \"b\"").build(),
                HeatmapTrace.builder(new Object[] {"c0", "c1"}, new Object[] {"r0", "r1"}, z).build());
        ObjectNode json = FigureJson.of(f);
        JsonNode data = json.get("data");
        assertEquals(2, data.size());
        assertEquals("heatmap", data.get(1).get("type").asText(), "a heatmap after another trace is kept");
        assertEquals("[[1,2],[3,4]]", data.get(1).get("z").toString());
        assertEquals("[\"c0\",\"c1\"]", data.get(1).get("x").toString(), "categories stay strings");
        assertEquals("[0,1,2]", data.get(0).get("x").toString(), "numbers are numbers");
        assertTrue(data.get(0).get("y").get(1).isNull(), "NaN is a gap");
        assertEquals("a \"b\"", data.get(0).get("name").asText());
        JsonNode title = json.get("layout").get("title");
        assertEquals("first line<br>second \"quoted\" & <b>Students'</b>", title.get("text").asText());
        assertEquals(22, title.get("font").get("size").asInt(), "titlefont becomes title.font");
        assertFalse(json.get("layout").has("titlefont"));
        assertEquals("x 'quoted'", json.get("layout").get("xaxis").get("title").get("text").asText());
        assertEquals(22, json.get("layout").get("xaxis").get("title").get("font").get("size").asInt());
        assertFalse(json.get("layout").get("grid").has("xgap"), "tablesaw's gap of 100 is outside 0..1");
        assertFalse(json.get("layout").get("grid").has("ygap"));
    }

    @Test
    void theRooflineDrawsBothRoofsAndOneTraceAKind() throws Exception {
        var pts = List.of(new effconv.bench.Roofline.Point("a", "standard", 50, 300),
                new effconv.bench.Roofline.Point("b", "depthwise", 2, 10),
                new effconv.bench.Roofline.Point("c", "depthwise", 1, 5));
        var r = new effconv.bench.Roofline(400, 40, pts);
        Figure f = Plot.roofline("roofline", r);
        assertEquals(3, f.getTraces().length); // the roof, then standard, then depthwise
        ObjectNode json = FigureJson.of(f);
        var roof = json.get("data").get(0);
        assertEquals(10.0, roof.get("x").get(1).asDouble(), 1e-9); // the ridge: 400 / 40
        assertEquals(400.0, roof.get("y").get(2).asDouble(), 1e-9);
        assertEquals(0.5 * 40, roof.get("y").get(0).asDouble(), 1e-9); // half the lowest intensity, on the slope
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Picture.of(json).bytes()));
        assertBorderBlank(img, "roofline");
    }

    @Test
    void errorBarsAreInTheJsonAndInThePicture() throws Exception {
        double[] x = {1, 2, 3};
        double[] y = {80, 82, 81};
        Figure plain = new Figure(Plot.layout("t", "g", "accuracy %"), Plot.line("mean", x, y));
        Figure barred = new Figure(Plot.layout("t", "g", "accuracy %"),
                Plot.withErrorBars(Plot.line("mean", x, y), new double[] {0.5, 0.25, Double.NaN}));
        ObjectNode json = FigureJson.of(barred);
        var err = json.get("data").get(0).get("error_y");
        assertEquals("data", err.get("type").asText());
        assertEquals(0.25, err.get("array").get(1).asDouble(), 1e-12);
        assertTrue(err.get("array").get(2).isNull(), err.toString()); // NaN: no bar, as plotly reads it
        assertEquals("mean", json.get("data").get(0).get("name").asText());
        int with = bluePixels(ImageIO.read(new ByteArrayInputStream(Picture.of(json).bytes())));
        int without = bluePixels(ImageIO.read(new ByteArrayInputStream(Picture.of(FigureJson.of(plain)).bytes())));
        assertTrue(with > without + 20, "the bars add pixels of the series' colour: " + with + " vs " + without);
        assertMessage("plusMinus[1] = -1.0 is not allowed", () -> Plot.withErrorBars(Plot.line("m", x, y),
                new double[] {1, -1, 0}));
        assertMessage("error bars = 2 values is not allowed: y has 3", () -> FigureJson.of(new Figure(
                Plot.layout("t", "g", "y"), Plot.withErrorBars(Plot.line("m", x, y), new double[] {1, 1}))));
    }

    @Test
    void aHeatmapCanBeTickedAtGroupBoundaries() {
        double[][] z = new double[64][64];
        ObjectNode json = FigureJson.of(Plot.heatmap("r", "channel", "channel", z, 16));
        for (String axis : new String[] {"xaxis", "yaxis"}) {
            assertEquals(16.0, json.get("layout").get(axis).get("dtick").asDouble(), 0.0, axis);
            assertEquals(0.0, json.get("layout").get(axis).get("tick0").asDouble(), 0.0, axis);
        }
        assertEquals("reversed", json.get("layout").get("yaxis").get("autorange").asText());
        ObjectNode plain = FigureJson.of(Plot.heatmap("r", "channel", "channel", z));
        assertTrue(plain.get("layout").get("xaxis").get("dtick") == null, plain.toString());
        var row = Plot.row("two", Plot.heatmap("a", "", "", z, 16), Plot.heatmap("b", "", "", z, 8)).figure();
        assertEquals(8.0, row.get("layout").get("xaxis2").get("dtick").asDouble(), 0.0);
        assertMessage("every = 0 is not allowed", () -> Plot.heatmap("r", "", "", z, 0));
        // the picture shows the same ticks: labels at 0, 16, 32 and 48, the others blank
        List<String> all = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
            all.add(String.valueOf(i));
        }
        List<String> shown = Picture.ticked(all, json.get("layout").get("xaxis"));
        assertEquals(List.of("0", "16", "32", "48"), shown.stream().filter(l -> !l.isEmpty()).toList());
        assertEquals(64, shown.size());
        assertEquals(all, Picture.ticked(all, plain.get("layout").get("xaxis")), "no dtick: every label");
    }

    /** Pixels of plotly's first colour, #1f77b4, give or take anti-aliasing. */
    private static int bluePixels(BufferedImage img) {
        int n = 0;
        for (int i = 0; i < img.getWidth(); i++) {
            for (int j = 0; j < img.getHeight(); j++) {
                int rgb = img.getRGB(i, j);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                n += Math.abs(r - 0x1f) < 24 && Math.abs(g - 0x77) < 24 && Math.abs(b - 0xb4) < 24 ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void aHeatmapWithBothSignsIsCentredOnWhite() {
        ObjectNode json = FigureJson.of(Plot.heatmap("t", "x", "y", new double[][] {{-1, 0.2}, {0.5, 3.4}}));
        JsonNode t = json.get("data").get(0);
        assertEquals(-3.4, t.get("zmin").asDouble());
        assertEquals(3.4, t.get("zmax").asDouble());
        assertEquals("#ffffff", t.get("colorscale").get(1).get(1).asText());
        assertEquals("reversed", json.get("layout").get("yaxis").get("autorange").asText(), "row 0 on top");
    }

    @Test
    void panelsShareOneColourScaleAndOneColourBar() {
        FigureRow row = Plot.row("two", Plot.heatmap("a", "", "", new double[][] {{0, 1}}),
                Plot.heatmap("b", "", "", new double[][] {{0, 5}}));
        List<ObjectNode> panels = row.json();
        for (ObjectNode p : panels) {
            assertEquals(5.0, p.get("data").get(0).get("zmax").asDouble());
        }
        assertFalse(panels.get(0).get("data").get(0).get("showscale").asBoolean());
        assertTrue(panels.get(1).get("data").get(0).get("showscale").asBoolean());
        assertEquals("FigureRow(\"two\", 2 panels)", row.toString());

        // as one plotly figure: one colour axis for both heatmaps, so one colour bar
        ObjectNode fig = row.figure();
        JsonNode layout = fig.get("layout");
        assertEquals(0.0, layout.get("coloraxis").get("cmin").asDouble());
        assertEquals(5.0, layout.get("coloraxis").get("cmax").asDouble());
        for (JsonNode t : fig.get("data")) {
            assertEquals("coloraxis", t.get("coloraxis").asText());
            assertFalse(t.has("zmax") || t.has("showscale") || t.has("colorscale"), t.toString());
        }
        assertEquals("x2", fig.get("data").get(1).get("xaxis").asText());
        assertEquals("y2", fig.get("data").get(1).get("yaxis").asText());
        assertEquals("two", layout.get("title").get("text").asText());
        assertEquals("<b>b</b>", layout.get("annotations").get(1).get("text").asText(), "panel titles above panels");
    }

    /** Each panel of a row lies in its own part of the figure, left to right, with square matrix cells. */
    @Test
    void aRowIsOneFigureWithASubplotPerPanelAndSquareCells() {
        double[][] wide = new double[3][6];
        double[][] tall = new double[6][3];
        FigureRow row = Plot.row("panels", Plot.heatmap("wide", "c", "r", wide), Plot.heatmap("tall", "c", "r", tall),
                Plot.heatmap("square", "c", "r", new double[4][4]));
        ObjectNode fig = row.figure();
        JsonNode layout = fig.get("layout");
        double w = layout.get("width").asDouble();
        double h = layout.get("height").asDouble() - layout.get("margin").get("t").asDouble();
        double previousEnd = 0;
        int[][] shapes = {{3, 6}, {6, 3}, {4, 4}};
        for (int i = 0; i < 3; i++) {
            String k = i == 0 ? "" : String.valueOf(i + 1);
            JsonNode xd = layout.get("xaxis" + k).get("domain");
            JsonNode yd = layout.get("yaxis" + k).get("domain");
            assertTrue(xd.get(0).asDouble() >= previousEnd && xd.get(1).asDouble() <= 1, "panel " + i + " " + xd);
            assertTrue(yd.get(0).asDouble() >= 0 && yd.get(1).asDouble() <= 1, "panel " + i + " " + yd);
            previousEnd = xd.get(1).asDouble();
            double cellW = (xd.get(1).asDouble() - xd.get(0).asDouble()) * w / shapes[i][1];
            double cellH = (yd.get(1).asDouble() - yd.get(0).asDouble()) * h / shapes[i][0];
            assertEquals(cellW, cellH, 1.0, "panel " + i + ": square cells");
            assertEquals("y" + k, layout.get("xaxis" + k).get("anchor").asText());
            assertEquals("reversed", layout.get("yaxis" + k).get("autorange").asText(), "row 0 on top");
        }
        JsonNode bar = layout.get("coloraxis").get("colorbar");
        assertTrue(bar.get("x").asDouble() > previousEnd && bar.get("x").asDouble() < 1, bar.toString());
    }

    @Test
    void theNotebookGetsOneBundleOfPlotlyJsonPictureAndText() throws Exception {
        Figure f = new Figure(Plot.layout("Cost </script> α", "K", "MACs"),
                Plot.line("standard", new int[] {1, 3, 5}, new double[] {1, 9, 25}));
        CourseExtension.Rendered r = CourseExtension.render(f);
        ObjectNode fig = r.figure();
        List<String> keys = new java.util.ArrayList<>();
        fig.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("data", "layout", "config"), keys);
        assertEquals("Cost </script> α", fig.get("layout").get("title").get("text").asText());
        assertEquals("[1,3,5]", fig.get("data").get(0).get("x").toString());
        assertFalse(fig.get("config").get("displaylogo").asBoolean());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(java.util.Base64.getDecoder().decode(r.png())));
        assertEquals(Picture.SCALE * 680, img.getWidth());
        assertEquals(680, r.width());
        assertEquals("Figure(\"Cost </script> α\", 1 trace)", r.text());
        for (String cdn : List.of("cdn.plot.ly", "jsdelivr", "unpkg", "cdnjs", "<script", "require")) {
            assertFalse(fig.toString().contains(cdn), cdn);
        }

        CourseExtension.Rendered row = CourseExtension.render(Plot.row("row", Plot.heatmap("a", "x", "y",
                new double[][] {{1, 2}}), Plot.heatmap("b", "x", "y", new double[][] {{3, 4}})));
        assertEquals(2, row.figure().get("data").size(), "one figure holds both panels");
        assertEquals("FigureRow(\"row\", 2 panels)", row.text());
    }

    /** A trace of any type, as a student could write one. */
    static Trace trace(String type) {
        return trace(type, "x: ['1', '2'], y: ['3', '4'], z: [['1']]");
    }

    static Trace trace(String type, String fields) {
        return new Trace() {
            @Override
            public String asJavascript(int i) {
                return "var trace" + i + " = {type: '" + type + "', " + fields + "};";
            }

            @Override
            public String name() {
                return "";
            }

            @Override
            public tech.tablesaw.plotly.components.HoverLabel hoverLabel() {
                return null;
            }

            @Override
            public boolean showLegend() {
                return false;
            }
        };
    }

    @Test
    void figuresPlotly4WouldRejectAreRefusedBeforeAnythingIsShown() {
        Layout l = Plot.layout("t", "x", "y");
        assertMessage("trace 0 type = \"heatmapgl\" is not allowed: plotly.js 4 has no such trace kind",
                () -> CourseExtension.render(new Figure(l, trace("heatmapgl"))));
        assertMessage("trace 0 type = \"scattermapbox\" is not allowed",
                () -> CourseExtension.render(new Figure(l, trace("scattermapbox"))));
        assertMessage("trace 0 type = \"pie\" is not allowed: the course's charts draw scatter, bar, heatmap",
                () -> CourseExtension.render(new Figure(l, PieTrace.builder(new Object[] {"a", "b"},
                        new double[] {1, 2}).build())));
        assertMessage("trace 1 (\"gaps\") y = [NaN, NaN, NaN] is not allowed: it has no finite value",
                () -> CourseExtension.render(new Figure(l, Plot.line("ok", new double[] {1, 2}, new double[] {1, 2}),
                        Plot.line("gaps", new double[] {1, 2, 3}, new double[] {Double.NaN, Double.NaN,
                                Double.NaN}))));
        assertMessage("trace 0 (\"b\") y = [NaN] is not allowed",
                () -> CourseExtension.render(new Figure(l, Plot.bars("b", new String[] {"a"},
                        new double[] {Double.NaN}))));
        assertMessage("trace 0 y = 2 values is not allowed: x has 3 (one y for each x)",
                () -> CourseExtension.render(new Figure(l, trace("scatter", "x: ['1', '2', '3'], y: ['1', '2']"))));
        assertMessage("trace 0 z = [[NaN, NaN]] is not allowed: it has no finite value",
                () -> CourseExtension.render(Plot.row("r", Plot.heatmap("h", "x", "y",
                        new double[][] {{Double.NaN, Double.NaN}}))));
        assertMessage("trace 0 z row 1 = [NaN] is not allowed: every row must have 2 values",
                () -> CourseExtension.render(new Figure(l, HeatmapTrace.builder(new Object[] {0, 1},
                        new Object[] {0, 1}, new double[][] {{1, 2}, {Double.NaN}}).build())));
    }

    @Test
    void badInputIsRefusedWithOneClearMessage() {
        assertMessage("values has 2 numbers", () -> Plot.bars("b", new String[] {"a", "b", "c"}, new double[] {1, 2}));
        assertMessage("values row 1 has 1 entries", () -> Plot.heatmap("t", "x", "y", new double[][] {{1, 2}, {3}}));
        assertMessage("column = \"nope\" is not allowed",
                () -> Plot.lines(Plot.layout("t", "x", "y"), Table.create("t", IntColumn.create("K", 1)), "K", "nope"));
        assertMessage("no point to draw", () -> Picture.of(FigureJson.of(new Figure(
                Plot.layout("t", Plot.axis("x"), Plot.logAxis("y")), Plot.line("zero", new double[] {1}, new double[] {0})))));
        assertMessage("traces of types [scatter, bar]", () -> Picture.of(FigureJson.of(new Figure(
                Plot.layout("t", "x", "y"), Plot.line("l", new double[] {1}, new double[] {1}),
                Plot.bars("b", new String[] {"a"}, new double[] {1})))));
        assertMessage("panels = [] is not allowed", () -> Plot.row("t"));
        assertMessage("title is null", () -> Plot.layout(null, "x", "y"));
    }

    static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(start), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
