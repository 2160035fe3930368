package effconv.jupyter;

import effconv.report.Summary;
import effconv.report.Tables;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import effconv.plot.FigureJson;
import effconv.plot.FigureRow;
import effconv.plot.Picture;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * Loaded by the JJava kernel from the course jar (META-INF/services): makes tables, summaries and charts display
 * as HTML, text and images when a cell ends with one.
 */
public final class CourseExtension implements Extension {

    private static final MIMEType PNG = MIMEType.parse("image/png");

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
                .preferring(MIMEType.TEXT_HTML, PNG)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((f, ctx) -> {
                    Rendered r = render(f);
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> r.html);
                    if (ctx.renderIfRequested(PNG, () -> r.png)) {
                        ctx.getOutputContainer().putMetaData(PNG.toString(), Map.of("width", r.width));
                    }
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> r.text);
                });
        renderer.createRegistration(FigureRow.class)
                .preferring(MIMEType.TEXT_HTML, PNG)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((row, ctx) -> {
                    Rendered r = render(row);
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> r.html);
                    if (ctx.renderIfRequested(PNG, () -> r.png)) {
                        ctx.getOutputContainer().putMetaData(PNG.toString(), Map.of("width", r.width));
                    }
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> r.text);
                });
    }

    /** What a chart shows: HTML (picture, then the interactive figure), the picture alone, and a line of text. */
    public record Rendered(String html, String png, int width, String text) {
    }

    /** A figure drawn once as plotly JSON, which both the interactive view and the picture are made from. */
    public static Rendered render(Figure f) {
        ObjectNode json = FigureJson.of(f);
        Picture.Png png = Picture.of(json);
        String title = json.path("layout").path("title").path("text").asText("");
        return rendered(null, title, List.of(json), png, "Figure(\"" + title + "\", " + json.get("data").size()
                + " trace" + (json.get("data").size() == 1 ? "" : "s") + ")");
    }

    public static Rendered render(FigureRow row) {
        List<ObjectNode> panels = row.json();
        return rendered(row.title(), row.title(), panels, Picture.of(row.title(), panels), row.toString());
    }

    private static Rendered rendered(String title, String alt, List<ObjectNode> figures, Picture.Png png,
            String text) {
        String b64 = Base64.getEncoder().encodeToString(png.bytes());
        var array = JsonNodeFactory.instance.arrayNode().addAll(figures);
        return new Rendered(Html.chart(title, FigureJson.write(array), b64, png.width(), alt), b64, png.width(), text);
    }
}
