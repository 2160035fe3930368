package effconv.plot;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import tech.tablesaw.plotly.components.Figure;

/**
 * Figures shown side by side under one title, such as one heatmap per channel; made by {@link Plot#row}. Heatmap
 * panels share one colour scale, so equal colours mean equal values across panels. {@link #json()} gives the
 * panels one by one (what the picture draws), {@link #figure()} the same panels as one plotly figure with a
 * subplot each (what JupyterLab draws interactively).
 */
public record FigureRow(String title, List<Figure> panels) {

    /** At most this many panels: more are too small to read. */
    public static final int MAX_PANELS = 16;

    public FigureRow {
        Plot.notNull("title", title);
        Plot.notNull("panels", panels);
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("panels = [] is not allowed: give at least one figure");
        }
        if (panels.size() > MAX_PANELS) {
            throw new IllegalArgumentException("panels = " + panels.size() + " figures is not allowed: at most "
                    + MAX_PANELS + " side by side");
        }
        for (int i = 0; i < panels.size(); i++) {
            if (panels.get(i) == null) {
                throw new IllegalArgumentException("panel " + i + " is null: every panel must be a Figure");
            }
        }
        panels = List.copyOf(panels);
    }

    /**
     * Each panel as plotly JSON; heatmaps get the range of all panels' values, and only the last one shows the
     * colour bar.
     */
    public List<ObjectNode> json() {
        List<ObjectNode> figures = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        List<ObjectNode> heatmaps = new ArrayList<>();
        for (Figure f : panels) {
            ObjectNode json = FigureJson.of(f);
            figures.add(json);
            for (JsonNode t : json.get("data")) {
                if (t.path("type").asText().equals("heatmap") && t.has("zmin") && t.has("zmax")) {
                    heatmaps.add((ObjectNode) t);
                    lo = Math.min(lo, t.get("zmin").asDouble());
                    hi = Math.max(hi, t.get("zmax").asDouble());
                }
            }
        }
        if (figures.size() > 1) {
            fit(figures, heatmaps);
        }
        for (int i = 0; i < heatmaps.size(); i++) {
            ObjectNode t = heatmaps.get(i);
            boolean signed = lo < 0 && hi > 0;
            double m = Math.max(-lo, hi);
            t.put("zmin", signed ? -m : lo).put("zmax", signed ? m : hi);
            if (signed && FigureJson.scale(FigureJson.SEQUENTIAL).equals(t.get("colorscale"))) {
                t.set("colorscale", FigureJson.scale(FigureJson.DIVERGING)); // one panel's zeros, another's signs
            }
            t.put("showscale", i == heatmaps.size() - 1);
        }
        return figures;
    }

    /**
     * Matrix panels (the course's heatmaps, row 0 on top) shrink so that up to four fit on a line of a notebook;
     * the last one is widened for the colour bar.
     */
    private static void fit(List<ObjectNode> figures, List<ObjectNode> heatmaps) {
        int lines = (figures.size() + 3) / 4;
        int perLine = (figures.size() + lines - 1) / lines; // 5 panels as 3 + 2, 6 as 3 + 3
        double side = Math.max(70, Math.min(260, Picture.MAX_WIDTH / perLine - 110.0));
        for (ObjectNode f : figures) {
            ObjectNode layout = (ObjectNode) f.get("layout");
            JsonNode z = f.get("data").get(0).get("z");
            if (!"heatmap".equals(f.get("data").get(0).path("type").asText()) || z == null || z.isEmpty()) {
                continue;
            }
            int rows = z.size();
            int cols = z.get(0).size();
            double cell = side / Math.max(rows, cols);
            boolean last = f == figures.get(figures.size() - 1);
            layout.put("width", (int) Math.round(cols * cell) + 50 + (last ? 90 : 20));
            layout.put("height", (int) Math.round(rows * cell) + 90);
            layout.putObject("margin").put("l", 50).put("r", last ? 90 : 20).put("t", 40).put("b", 50);
        }
    }

    /** Space above the panels for the row's title, in CSS pixels. */
    static final int TITLE_STRIP = 50;

    /**
     * The row as one plotly figure: each panel a subplot (its own x and y axes, placed by domain where the picture
     * places it: left to right, wrapping past {@value Picture#MAX_WIDTH} px, each panel keeping its size and
     * margins, so matrix cells stay square), its title an annotation above it, the row's title on top. Heatmaps
     * share one colour axis (one colour bar, beside the last panel); other traces keep each panel's colours.
     */
    public ObjectNode figure() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<ObjectNode> panels = json();
        // where each panel's box goes, as Picture lays them out
        int[][] at = new int[panels.size()][];
        int[][] size = new int[panels.size()][];
        int x = 0;
        int y = 0;
        int lineHeight = 0;
        int width = 0;
        for (int i = 0; i < panels.size(); i++) {
            JsonNode layout = panels.get(i).path("layout");
            int w = Math.max(160, layout.path("width").asInt(700));
            int h = Math.max(120, layout.path("height").asInt(450));
            if (x > 0 && x + w > Picture.MAX_WIDTH) {
                x = 0;
                y += lineHeight;
                lineHeight = 0;
            }
            at[i] = new int[] {x, y};
            size[i] = new int[] {w, h};
            x += w;
            width = Math.max(width, x);
            lineHeight = Math.max(lineHeight, h);
        }
        int plotHeight = y + lineHeight;
        ObjectNode out = f.objectNode();
        ArrayNode data = out.putArray("data");
        ObjectNode layout = out.putObject("layout");
        layout.putObject("title").put("text", title).put("x", 0.5).put("xanchor", "center")
                .putObject("font").put("size", 15);
        layout.put("width", width).put("height", plotHeight + TITLE_STRIP).put("showlegend", false);
        layout.putObject("margin").put("l", 0).put("r", 0).put("t", TITLE_STRIP).put("b", 0).put("pad", 0);
        ArrayNode annotations = layout.putArray("annotations");
        List<ObjectNode> heatmaps = new ArrayList<>();
        int lastHeatmapPanel = -1;
        for (int i = 0; i < panels.size(); i++) {
            ObjectNode panel = panels.get(i);
            JsonNode pl = panel.path("layout");
            JsonNode margin = pl.path("margin");
            int l = margin.path("l").asInt(80);
            int r = margin.path("r").asInt(80);
            int t = margin.path("t").asInt(100);
            int b = margin.path("b").asInt(80);
            String suffix = i == 0 ? "" : String.valueOf(i + 1);
            double x0 = frac(at[i][0] + l, width);
            double x1 = frac(at[i][0] + size[i][0] - r, width);
            double y0 = frac(plotHeight - (at[i][1] + size[i][1] - b), plotHeight);
            double y1 = frac(plotHeight - (at[i][1] + t), plotHeight);
            ObjectNode xaxis = axis(pl.path("xaxis"), x0, x1, "y" + suffix);
            ObjectNode yaxis = axis(pl.path("yaxis"), y0, y1, "x" + suffix);
            layout.set("xaxis" + suffix, xaxis);
            layout.set("yaxis" + suffix, yaxis);
            String panelTitle = pl.path("title").path("text").asText("");
            if (!panelTitle.isEmpty()) {
                annotations.addObject().put("text", "<b>" + panelTitle + "</b>").put("showarrow", false)
                        .put("xref", "paper").put("yref", "paper").put("x", (x0 + x1) / 2).put("y", y1)
                        .put("xanchor", "center").put("yanchor", "bottom").put("yshift", 6)
                        .putObject("font").put("size", 13);
            }
            int k = 0;
            for (JsonNode tr : panel.get("data")) {
                ObjectNode trace = tr.deepCopy();
                trace.put("xaxis", "x" + suffix).put("yaxis", "y" + suffix);
                String type = trace.path("type").asText("scatter");
                if (type.equals("heatmap")) {
                    heatmaps.add(trace);
                    lastHeatmapPanel = i;
                } else {
                    // each panel's colours as in its picture (plotly would continue the sequence across panels)
                    String colour = FigureJson.COLORWAY.get(k % FigureJson.COLORWAY.size());
                    if (type.equals("scatter") && !trace.path("line").has("color")) {
                        trace.with("line").put("color", colour);
                    }
                    if (!trace.path("marker").has("color")) {
                        trace.with("marker").put("color", colour);
                    }
                    if (pl.path("showlegend").asBoolean(panel.get("data").size() > 1)) {
                        layout.put("showlegend", true);
                    }
                }
                data.add(trace);
                k++;
            }
        }
        if (!heatmaps.isEmpty()) {
            shareColourAxis(layout, heatmaps, at[lastHeatmapPanel], size[lastHeatmapPanel],
                    panels.get(lastHeatmapPanel).path("layout").path("margin"), width, plotHeight);
        }
        if (annotations.isEmpty()) {
            layout.remove("annotations");
        }
        return out;
    }

    /** A panel's axis on its subplot: everything the panel set, plus where it lies and what it is anchored to. */
    private static ObjectNode axis(JsonNode panelAxis, double from, double to, String anchor) {
        ObjectNode a = panelAxis instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        a.putArray("domain").add(from).add(to);
        a.put("anchor", anchor);
        return a;
    }

    /**
     * One colour axis for every heatmap (their range is already shared, see {@link #json()}): its colour bar right
     * of the last heatmap panel, as tall as its plot. Heatmaps with different colour scales keep their own.
     */
    private static void shareColourAxis(ObjectNode layout, List<ObjectNode> heatmaps, int[] at, int[] size,
            JsonNode margin, int width, int plotHeight) {
        JsonNode scale = heatmaps.get(0).get("colorscale");
        for (ObjectNode t : heatmaps) {
            if (scale == null || !scale.equals(t.get("colorscale")) || !t.has("zmin") || !t.has("zmax")) {
                return;
            }
        }
        int top = at[1] + margin.path("t").asInt(100);
        int bottom = at[1] + size[1] - margin.path("b").asInt(80);
        int right = at[0] + size[0] - margin.path("r").asInt(80);
        ObjectNode axis = layout.putObject("coloraxis");
        axis.set("colorscale", scale.deepCopy());
        axis.put("cmin", heatmaps.get(0).get("zmin").asDouble()).put("cmax", heatmaps.get(0).get("zmax").asDouble());
        axis.putObject("colorbar").put("x", frac(right + 12, width)).put("xanchor", "left")
                .put("y", frac(plotHeight - (top + bottom) / 2.0, plotHeight)).put("yanchor", "middle")
                .put("len", frac(bottom - top, plotHeight)).put("thickness", 12).put("outlinewidth", 0);
        for (ObjectNode t : heatmaps) {
            t.remove(List.of("colorscale", "zmin", "zmax", "showscale"));
            t.put("coloraxis", "coloraxis");
        }
    }

    /** A position in pixels as a fraction of a length, to four decimals (short JSON, well under a pixel). */
    private static double frac(double px, double length) {
        return Math.round(Math.max(0, Math.min(1, px / length)) * 10000) / 10000.0;
    }

    @Override
    public String toString() {
        return "FigureRow(\"" + title + "\", " + panels.size() + " panel" + (panels.size() == 1 ? "" : "s") + ")";
    }
}
