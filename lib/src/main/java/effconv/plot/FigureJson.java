package effconv.plot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import org.unbescape.html.HtmlEscape;

import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.traces.Trace;

/**
 * A tablesaw-jsplot {@link Figure} as clean plotly.js JSON, {@code {"data": [...], "layout": {...}}}: what both the
 * interactive view and the picture are drawn from.
 *
 * <p>tablesaw-jsplot 0.44.4 writes JavaScript for plotly.js 1.x through templates: object literals with unquoted
 * keys, single-quoted and HTML-escaped strings, numbers as strings, titles as strings with {@code titlefont}. Each
 * trace's and the layout's literal is read with a lenient JSON parser (so a heatmap that is not the first trace,
 * a newline or a quote in a title all survive) and normalised to what plotly.js 4 reads (titles as objects
 * {@code {"text": …}}, numbers as numbers, NaN as gaps). A figure plotly.js 4 would reject or draw empty is refused
 * here, with one line, before anything is shown ({@link #check}).
 */
public final class FigureJson {
    private FigureJson() {
    }

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** plotly.js's default colour sequence, which the picture follows too. */
    static final List<String> COLORWAY = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf");

    /**
     * The trace types plotly.js 4.1.1 registers (read from the bundle that plotly 7.1.0's JupyterLab extension ships;
     * older releases' heatmapgl, pointcloud and mapbox traces are not among them).
     */
    static final Set<String> PLOTLY_TRACES = Set.of("bar", "barpolar", "box", "candlestick", "carpet", "choropleth",
            "choroplethmap", "cone", "contour", "contourcarpet", "densitymap", "funnel", "funnelarea", "heatmap",
            "histogram", "histogram2d", "histogram2dcontour", "icicle", "image", "indicator", "isosurface", "mesh3d",
            "ohlc", "parcats", "parcoords", "pie", "quiver", "sankey", "scatter", "scatter3d", "scattercarpet",
            "scattergeo", "scattergl", "scattermap", "scatterpolar", "scatterpolargl", "scattersmith", "scatterternary",
            "splom", "streamtube", "sunburst", "surface", "table", "treemap", "violin", "volume", "waterfall");

    /** The trace types the course draws both interactively and as a picture. */
    static final List<String> DRAWN = List.of("scatter", "bar", "heatmap");

    /** White to blue, for values from 0 up (counts, magnitudes, pictures). */
    static final String[][] SEQUENTIAL = {{"0", "#ffffff"}, {"1", "#08306b"}};
    /** Blue, white, red, for values of both signs (white at 0). */
    static final String[][] DIVERGING = {{"0", "#2166ac"}, {"0.5", "#ffffff"}, {"1", "#b2182b"}};

    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS,
                    JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS,
                    JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
            .build();

    /** The figure as normalised plotly JSON. */
    public static ObjectNode of(Figure figure) {
        if (figure == null) {
            throw new IllegalArgumentException("figure is null: a tablesaw-jsplot Figure is required");
        }
        Trace[] traces = figure.getTraces();
        if (traces == null || traces.length == 0) {
            throw new IllegalArgumentException("figure has 0 traces, which is not allowed: give it at least one "
                    + "(for example a ScatterTrace, BarTrace or HeatmapTrace)");
        }
        ObjectNode out = F.objectNode();
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < traces.length; i++) {
            data.add(literal(traces[i].asJavascript(i), "trace " + i));
        }
        out.set("layout", figure.getLayout() == null ? F.objectNode()
                : literal(figure.getLayout().asJavascript(), "layout"));
        return check(normalise(out));
    }

    /**
     * Refuses, with one line, a figure plotly.js 4 would reject or draw empty: a trace kind it does not have (or one
     * the course's pictures cannot draw), x and y of different lengths, a series or matrix without one finite value,
     * a heatmap with rows of different lengths.
     */
    static ObjectNode check(ObjectNode fig) {
        int i = 0;
        for (JsonNode t : fig.withArray("data")) {
            String which = "trace " + i + (t.path("name").isTextual() ? " (\"" + t.get("name").asText() + "\")" : "");
            String type = t.path("type").asText("scatter");
            if (!PLOTLY_TRACES.contains(type)) {
                throw new IllegalArgumentException(which + " type = \"" + type + "\" is not allowed: plotly.js 4 has "
                        + "no such trace kind (the course draws " + String.join(", ", DRAWN) + ")");
            }
            if (!DRAWN.contains(type)) {
                throw new IllegalArgumentException(which + " type = \"" + type + "\" is not allowed: the course's "
                        + "charts draw " + String.join(", ", DRAWN) + " traces (interactive and as a picture)");
            }
            if (type.equals("heatmap")) {
                JsonNode z = t.get("z");
                if (z == null || !z.isArray() || z.isEmpty() || !z.get(0).isArray() || z.get(0).isEmpty()) {
                    throw new IllegalArgumentException(which + " z = " + preview(z) + " is not allowed: give at "
                            + "least a 1×1 matrix");
                }
                for (int r = 0; r < z.size(); r++) {
                    if (!z.get(r).isArray() || z.get(r).size() != z.get(0).size()) {
                        throw new IllegalArgumentException(which + " z row " + r + " = " + preview(z.get(r))
                                + " is not allowed: every row must have " + z.get(0).size() + " values, as row 0");
                    }
                }
                if (!(range(z)[0] <= range(z)[1])) {
                    throw new IllegalArgumentException(which + " z = " + preview(z) + " is not allowed: it has no "
                            + "finite value, so there is nothing to draw");
                }
            } else {
                JsonNode x = t.get("x");
                JsonNode y = t.get("y");
                if (y == null || !y.isArray() || y.isEmpty()) {
                    throw new IllegalArgumentException(which + " y = " + preview(y) + " is not allowed: give at "
                            + "least one value");
                }
                if (x != null && x.isArray() && x.size() != y.size()) {
                    throw new IllegalArgumentException(which + " y = " + y.size() + " values is not allowed: x has "
                            + x.size() + " (one y for each x)");
                }
                boolean any = false;
                for (int k = 0; k < y.size() && !any; k++) {
                    any = y.get(k).isNumber() && (x == null || !x.isArray() || !x.get(k).isNull());
                }
                if (!any) {
                    throw new IllegalArgumentException(which + " y = " + preview(y) + " is not allowed: it has no "
                            + "finite value (with a finite x), so there is nothing to draw");
                }
                JsonNode err = t.path("error_y").path("array");
                if (err.isArray() && err.size() != y.size()) {
                    throw new IllegalArgumentException(which + " error bars = " + err.size() + " values is not "
                            + "allowed: y has " + y.size() + " (one bar for each point)");
                }
            }
            i++;
        }
        return fig;
    }

    /** A value as it reads in a message: at most four entries of an array, NaN for a gap. */
    private static String preview(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "(missing)";
        }
        if (!v.isArray()) {
            return v.isNull() ? "NaN" : v.toString();
        }
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < Math.min(4, v.size()); k++) {
            parts.add(preview(v.get(k)));
        }
        if (v.size() > 4) {
            parts.add("… (" + v.size() + ")");
        }
        return "[" + String.join(", ", parts) + "]";
    }

    /** The first object literal in a template's output ({@code var trace0 = {...};}), strings unescaped. */
    private static ObjectNode literal(String js, String what) {
        int start = js.indexOf('{');
        if (start < 0) {
            throw new IllegalStateException("tablesaw-jsplot wrote no object for the " + what + ": " + js);
        }
        try (JsonParser p = LENIENT.createParser(js.substring(start))) {
            JsonNode n = LENIENT.readTree(p);
            if (!(n instanceof ObjectNode o)) {
                throw new IllegalStateException("tablesaw-jsplot's " + what + " is not an object: " + js);
            }
            return (ObjectNode) unescape(o);
        } catch (IOException e) {
            throw new IllegalStateException("tablesaw-jsplot's " + what + " could not be read: " + e.getMessage(), e);
        }
    }

    /** Pebble escaped every string for HTML ({@code &quot;}, {@code &#39;}, {@code &lt;}); plotly wants the text. */
    private static JsonNode unescape(JsonNode n) {
        if (n.isTextual()) {
            return TextNode.valueOf(HtmlEscape.unescapeHtml(n.asText()));
        }
        if (n instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                o.set(name, unescape(o.get(name)));
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, unescape(a.get(i)));
            }
        }
        return n;
    }

    // ---- plotly 1.x → 2/3 -------------------------------------------------------------------------------------

    static ObjectNode normalise(ObjectNode fig) {
        for (JsonNode t : fig.withArray("data")) {
            ObjectNode tr = (ObjectNode) t;
            for (String k : new String[] {"x", "y", "z"}) {
                if (tr.has(k)) {
                    tr.set(k, numbers(tr.get(k)));
                }
            }
            if (tr.get("error_y") instanceof ObjectNode err && err.has("array")) {
                err.set("array", numbers(err.get("array")));
            }
            if (tr.path("opacity").isTextual()) {
                tr.put("opacity", Double.parseDouble(tr.get("opacity").asText()));
            }
            if (tr.path("name").asText("").isEmpty()) {
                tr.remove("name");
            }
            if (tr.path("type").asText().equals("heatmap")) {
                heatmap(tr);
            }
        }
        ObjectNode layout = (ObjectNode) fig.get("layout");
        title(layout);
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        layout.fields().forEachRemaining(fields::add);
        for (Map.Entry<String, JsonNode> e : fields) {
            if (e.getKey().matches("[xyz]axis\\d*") && e.getValue() instanceof ObjectNode axis) {
                title(axis);
                if (axis.path("scaleratio").isTextual()) {
                    axis.put("scaleratio", Double.parseDouble(axis.get("scaleratio").asText()));
                }
                for (String k : new String[] {"dtick", "tick0", "nticks"}) {
                    JsonNode v = axis.get(k);
                    if (v != null && v.isTextual() && v.asText().matches("-?[0-9.]+")) {
                        axis.put(k, Double.parseDouble(v.asText()));
                    }
                }
            }
        }
        if (layout.get("grid") instanceof ObjectNode g) {
            for (String k : new String[] {"xgap", "ygap"}) {
                double v = g.path(k).asDouble(0);
                if (v < 0 || v > 1) {
                    g.remove(k); // tablesaw's defaults (100, 80) are outside plotly's 0..1
                }
            }
        }
        return fig;
    }

    /** {@code title: 'x', titlefont: {...}} becomes {@code title: {text: 'x', font: {...}}} (plotly.js 3 and 4 read no other). */
    private static void title(ObjectNode o) {
        JsonNode t = o.get("title");
        ObjectNode title = t instanceof ObjectNode obj ? obj : F.objectNode();
        if (t != null && t.isTextual()) {
            if (!t.asText().isEmpty()) {
                title.put("text", t.asText().replace("\n", "<br>"));
            }
        }
        JsonNode font = o.remove("titlefont");
        if (font != null) {
            title.set("font", font);
        }
        if (title.size() > 0) {
            o.set("title", title);
        } else {
            o.remove("title");
        }
    }

    /** A heatmap without a colour scale gets the course's: white to blue from 0 up, blue-white-red with both signs. */
    private static void heatmap(ObjectNode tr) {
        double[] range = range(tr.get("z"));
        if (!tr.has("colorscale")) {
            boolean signed = range[0] < 0 && range[1] > 0;
            tr.set("colorscale", scale(signed ? DIVERGING : SEQUENTIAL));
            if (signed) {
                double m = roundUp(Math.max(-range[0], range[1]));
                tr.put("zmin", -m).put("zmax", m);
            } else if (range[0] >= 0 && range[1] >= range[0]) {
                tr.put("zmin", 0).put("zmax", range[1] > 0 ? roundUp(range[1]) : 1);
            }
        }
    }

    /** Up to two significant digits, rounded up: the colour bar's end reads 27, not 26.980905302335206. */
    static double roundUp(double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            return v;
        }
        double unit = Math.pow(10, Math.floor(Math.log10(v)) - 1);
        return new java.math.BigDecimal(Math.ceil(v / unit - 1e-9) * unit)
                .round(new java.math.MathContext(2)).doubleValue();
    }

    static ArrayNode scale(String[][] stops) {
        ArrayNode scale = F.arrayNode();
        for (String[] stop : stops) {
            scale.addArray().add(Double.parseDouble(stop[0])).add(stop[1]);
        }
        return scale;
    }

    /** The smallest and largest finite value of a (nested) numeric array; {+inf, -inf} when there is none. */
    static double[] range(JsonNode a) {
        double[] r = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        if (a != null) {
            collect(a, r);
        }
        return r;
    }

    private static void collect(JsonNode a, double[] r) {
        if (a.isArray()) {
            a.forEach(v -> collect(v, r));
        } else if (a.isNumber() && Double.isFinite(a.asDouble())) {
            r[0] = Math.min(r[0], a.asDouble());
            r[1] = Math.max(r[1], a.asDouble());
        }
    }

    /** Numbers written as strings become numbers, NaN a gap (null); an array with any other text stays categories. */
    private static JsonNode numbers(JsonNode a) {
        if (!a.isArray()) {
            return a;
        }
        ArrayNode out = F.arrayNode();
        for (JsonNode v : a) {
            if (v.isArray()) {
                out.add(numbers(v));
            } else if (v.isNumber()) {
                out.add(number(v.asDouble()));
            } else if (v.isTextual()) {
                String s = v.asText().strip();
                if (s.equals("NaN") || s.equals("null") || s.equals("Infinity") || s.equals("-Infinity")) {
                    out.add(F.nullNode());
                    continue;
                }
                try {
                    double d = Double.parseDouble(s);
                    if (s.matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?")) {
                        out.add(number(d));
                        continue;
                    }
                } catch (NumberFormatException e) {
                    // a category
                }
                return a;
            } else {
                out.add(v);
            }
        }
        return out;
    }

    /** Whole numbers stay whole (1, not 1.0: shorter, and hover labels read as typed); NaN and infinities are gaps. */
    private static JsonNode number(double d) {
        if (!Double.isFinite(d)) {
            return F.nullNode();
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? F.numberNode((long) d) : F.numberNode(d);
    }
}
