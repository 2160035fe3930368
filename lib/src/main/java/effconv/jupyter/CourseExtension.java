package effconv.jupyter;

import effconv.Chart;
import effconv.Heatmap;
import effconv.report.Summary;
import effconv.report.Tables;
import java.util.Base64;
import java.util.Map;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import tech.tablesaw.api.Table;

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
        renderer.createRegistration(Heatmap.class)
                .preferring(PNG)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((h, ctx) -> {
                    if (ctx.renderIfRequested(PNG, () -> Base64.getEncoder().encodeToString(h.toPng(2)))) {
                        ctx.getOutputContainer().putMetaData(PNG.toString(), Map.of("width", h.width()));
                    }
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, h::toString);
                });
        renderer.createRegistration(Chart.class)
                .preferring(MIMEType.TEXT_HTML, PNG)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((c, ctx) -> {
                    // drawn at 2× for sharpness, shown at the nominal width; the same picture inside the HTML, which
                    // JupyterLab prefers and turns into the interactive chart
                    String png = Base64.getEncoder().encodeToString(c.toPng(2));
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> Html.chart(c, png));
                    if (ctx.renderIfRequested(PNG, () -> png)) {
                        ctx.getOutputContainer().putMetaData(PNG.toString(), Map.of("width", Chart.width()));
                    }
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, c::toString);
                });
    }
}
