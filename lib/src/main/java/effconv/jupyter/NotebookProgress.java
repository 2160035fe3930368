package effconv.jupyter;

import effconv.train.Progress;
import effconv.train.TrainResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;


/**
 * Training progress in a notebook: one output that updates in place (Jupyter's display ids) with a bar for the
 * current epoch, its running loss and accuracy, and a line for every finished epoch. Updates are sent at most four
 * times a second, so the display never slows training down.
 */
final class NotebookProgress implements Progress {
    private static final long INTERVAL_NANOS = 250_000_000L;

    private final BaseKernel kernel;
    private final String id = "effconv-train-" + UUID.randomUUID();
    private final List<String> done = new ArrayList<>();
    private String title;
    private int epochs;
    private int steps;
    private long last;

    NotebookProgress(BaseKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public void start(String what, int epochs, int steps) {
        this.title = "training " + what;
        this.epochs = epochs;
        this.steps = steps;
        DisplayData d = render(1, 0, Double.NaN, Double.NaN);
        // (the kernel's DisplayData.setDisplayId returns a value in newer JJava, void in the API jar compiled
        // against: setting the transient key directly works with both)
        d.putTransientData("display_id", id);
        kernel.getIO().display.display(d);
        last = System.nanoTime();
    }

    @Override
    public void step(int epoch, int step, double loss, double accuracy) {
        long now = System.nanoTime();
        if (now - last >= INTERVAL_NANOS) {
            kernel.getIO().display.updateDisplay(id, render(epoch, step, loss, accuracy));
            last = now;
        }
    }

    @Override
    public void epoch(TrainResult.Epoch e) {
        done.add(Progress.line(e, epochs));
        kernel.getIO().display.updateDisplay(id, render(Math.min(e.epoch() + 1, epochs), e.epoch() == epochs ? steps : 0,
                Double.NaN, Double.NaN));
    }

    @Override
    public void finish() {
        kernel.getIO().display.updateDisplay(id, render(epochs, steps, Double.NaN, Double.NaN));
    }

    private DisplayData render(int epoch, int step, double loss, double accuracy) {
        boolean finished = done.size() == epochs;
        String now = finished ? "done" : String.format(Locale.ROOT, "epoch %d/%d, batch %d/%d%s", epoch, epochs, step,
                steps, Double.isNaN(loss) ? "" : String.format(Locale.ROOT, ": loss %.4f, train %.2f%%", loss,
                        100 * accuracy));
        StringBuilder text = new StringBuilder(title).append('\n');
        done.forEach(l -> text.append(l).append('\n'));
        if (!finished) {
            text.append(now).append('\n');
        }
        int total = epochs * steps;
        int at = finished ? total : (epoch - 1) * steps + step;
        StringBuilder html = new StringBuilder("<div class=\"effconv-progress\" style=\"font-family:monospace\">")
                .append("<div>").append(Html.esc(title)).append("</div>")
                .append("<progress value=\"").append(at).append("\" max=\"").append(total)
                .append("\" style=\"width:24em\"></progress> ").append(Html.esc(now));
        done.forEach(l -> html.append("<div>").append(Html.esc(l)).append("</div>"));
        html.append("</div>");
        DisplayData d = new DisplayData(text.toString().strip());
        d.putHTML(html.toString());
        return d;
    }
}
