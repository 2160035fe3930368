package effconv.jupyter;

import effconv.report.Summary;
import effconv.report.Tables;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import effconv.plot.FigureJson;
import effconv.plot.FigureRow;
import effconv.plot.Picture;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * Loaded by the JJava kernel from the course jar (META-INF/services): makes tables, summaries and charts display
 * as HTML, text and images when a cell ends with one.
 *
 * <p>A chart ({@link Figure}, {@link FigureRow}) is one display output with three MIME types: the plotly figure
 * ({@value #PLOTLY_MIME}, drawn interactively by the jupyterlab-plotly extension that the plotly package installs,
 * in trusted and untrusted notebooks alike), its XChart picture ({@code image/png}: GitHub, nbviewer, nbconvert) and
 * a line of text. Everything is computed before anything is shown, so a figure plotly.js 4 would reject fails with
 * one line and no output.
 */
public final class CourseExtension implements Extension {

    /** The MIME type plotly's JupyterLab extension renders. */
    public static final String PLOTLY_MIME = "application/vnd.plotly.v1+json";

    private static final MIMEType PNG = MIMEType.parse("image/png");
    private static final MIMEType PLOTLY = MIMEType.parse(PLOTLY_MIME);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void install(BaseKernel kernel) {
        // training in a cell shows a live display that updates in place, instead of lines of text
        effconv.train.Progress.setStandard(() -> new NotebookProgress(kernel));
        var renderer = kernel.getRenderer();
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((t, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> Html.table(t));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> Tables.text(t));
                });
        renderer.createRegistration(Summary.class)
                .preferring(MIMEType.TEXT_PLAIN)
                .register((s, ctx) -> ctx.renderIfRequested(MIMEType.TEXT_PLAIN, s::toString));
        renderer.createRegistration(Figure.class)
                .preferring(PLOTLY, PNG)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((f, ctx) -> show(render(f), ctx));
        renderer.createRegistration(FigureRow.class)
                .preferring(PLOTLY, PNG)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((row, ctx) -> show(render(row), ctx));
    }

    private static void show(Rendered r, RenderContext ctx) {
        // the figure as plain maps and lists, which the kernel writes as a JSON object
        ctx.renderIfRequested(PLOTLY, () -> JSON.convertValue(r.figure(), Map.class));
        if (ctx.renderIfRequested(PNG, () -> r.png)) {
            ctx.getOutputContainer().putMetaData(PNG.toString(), Map.of("width", r.width));
        }
        ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> r.text);
    }

    /**
     * What a chart shows: the plotly figure ({@code {"data", "layout", "config"}}), the picture (base64 PNG) and the
     * width to show it at, and a line of text.
     */
    public record Rendered(ObjectNode figure, String png, int width, String text) {
    }

    /** A figure drawn once as plotly JSON, which both the interactive view and the picture are made from. */
    public static Rendered render(Figure f) {
        ObjectNode json = FigureJson.of(f);
        Picture.Png png = Picture.of(json);
        String title = json.path("layout").path("title").path("text").asText("");
        int traces = json.get("data").size();
        return rendered(json, png, "Figure(\"" + title + "\", " + traces + " trace" + (traces == 1 ? "" : "s") + ")");
    }

    /** Panels side by side: one plotly figure with a subplot each, and the picture of the panels. */
    public static Rendered render(FigureRow row) {
        List<ObjectNode> panels = row.json();
        Picture.Png png = Picture.of(row.title(), panels);
        return rendered(row.figure(), png, row.toString());
    }

    private static Rendered rendered(ObjectNode figure, Picture.Png png, String text) {
        ObjectNode out = figure.deepCopy();
        out.putObject("config").put("displaylogo", false);
        return new Rendered(out, Base64.getEncoder().encodeToString(png.bytes()), png.width(), text);
    }
}
