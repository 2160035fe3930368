package effconv.plot;

import java.util.Locale;

import tech.tablesaw.plotly.components.HoverLabel;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * A scatter trace with symmetric error bars, ± one value per point (plotly's {@code error_y}), which
 * tablesaw-jsplot's ScatterTrace cannot carry: its literal is the scatter's with {@code error_y} added. Made by
 * {@link Plot#withErrorBars}; the picture draws the bars too.
 */
final class ErrorBars implements Trace {
    private final ScatterTrace scatter;
    private final double[] plusMinus;

    ErrorBars(ScatterTrace scatter, double[] plusMinus) {
        this.scatter = scatter;
        this.plusMinus = plusMinus.clone();
    }

    @Override
    public String asJavascript(int i) {
        String js = scatter.asJavascript(i);
        int start = js.indexOf('{');
        StringBuilder bars = new StringBuilder("error_y: {type: 'data', visible: true, thickness: 1.5, array: [");
        for (int k = 0; k < plusMinus.length; k++) {
            bars.append(k == 0 ? "" : ", ")
                    .append(Double.isFinite(plusMinus[k]) ? String.format(Locale.ROOT, "%.6g", plusMinus[k]) : "NaN");
        }
        bars.append("]},");
        // the first key of the trace's object literal: FigureJson reads the literal leniently, key order is free
        return js.substring(0, start + 1) + bars + js.substring(start + 1);
    }

    @Override
    public String name() {
        return scatter.name();
    }

    @Override
    public HoverLabel hoverLabel() {
        return scatter.hoverLabel();
    }

    @Override
    public boolean showLegend() {
        return scatter.showLegend();
    }
}
