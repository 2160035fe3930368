package effconv.plot;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import tech.tablesaw.plotly.components.Figure;

/**
 * Figures shown side by side under one title, such as one heatmap per channel; made by {@link Plot#row}. Heatmap
 * panels share one colour scale, so equal colours mean equal values across panels.
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

    @Override
    public String toString() {
        return "FigureRow(\"" + title + "\", " + panels.size() + " panel" + (panels.size() == 1 ? "" : "s") + ")";
    }
}
