package effconv.lessons;

import effconv.models.Model;
import effconv.models.Models;
import effconv.plot.Plot;
import effconv.report.Compare;
import effconv.report.Course;
import java.util.Locale;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/** Lesson 4's comparisons: SqueezeNet 1.0 against the AlexNet of its title, and its squeeze ratio swept. */
public final class SqueezeNet {

    private static final double MIB = 1024 * 1024;

    private SqueezeNet() {
    }

    /**
     * The title's "AlexNet-level accuracy with 50x fewer parameters", counted: the two networks' parameters and
     * MACs, and the published accuracies and model sizes of the paper's Table 2 ({@code data/squeezenet-vs-alexnet.csv}).
     * The two printed sizes are in different megabytes — AlexNet's 240 is near MB of 10⁶ bytes, SqueezeNet's 4.8 is
     * MB of 2²⁰ — so their ratio is set beside the count as the paper printed it, with the units said.
     */
    public static String againstAlexNet(Model alexnet, Model squeezenet) {
        Table vs = Course.data("squeezenet-vs-alexnet.csv");
        double alexMb = Compare.published(vs, "model", "AlexNet", "figure", "model size MB (32-bit)");
        double squeezeMb = Compare.published(vs, "model", "SqueezeNet", "figure", "model size MB (32-bit)");
        return String.format(Locale.ROOT, "parameters: AlexNet %,d / SqueezeNet %,d = %.1f× fewer (the title's 50x; "
                + "Table 2's sizes, %.0f MB of about 10⁶ bytes over %.1f MB of 2²⁰ bytes, give %.0f×); top-1 %.1f%% vs "
                + "%.1f%%, top-5 %.1f%% vs %.1f%% (published); MACs: AlexNet %,d, SqueezeNet %,d",
                alexnet.params(), squeezenet.params(), (double) alexnet.params() / squeezenet.params(), alexMb,
                squeezeMb, alexMb / squeezeMb, accuracy(vs, "AlexNet", "top-1"), accuracy(vs, "SqueezeNet", "top-1"),
                accuracy(vs, "AlexNet", "top-5"), accuracy(vs, "SqueezeNet", "top-5"), alexnet.macs(),
                squeezenet.macs());
    }

    private static double accuracy(Table vs, String model, String which) {
        return Compare.published(vs, "model", model, "figure", which + " accuracy");
    }

    /** SqueezeNet 1.0's parameters and MACs (millions) against the squeeze ratio SR, 0.125 … 1 (the paper's 5.1). */
    public static Figure squeezeRatioSweep() {
        double[] srs = {0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0};
        double[] params = new double[srs.length], macs = new double[srs.length];
        for (int i = 0; i < srs.length; i++) {
            Model m = Models.squeezenet(227, srs[i]);
            params[i] = m.params() / 1e6;
            macs[i] = m.macs() / 1e6;
        }
        return new Figure(Plot.layout("SqueezeNet 1.0 against the squeeze ratio", "squeeze ratio SR", "millions"),
                Plot.line("params (M)", srs, params), Plot.line("MACs (M)", srs, macs));
    }

    /** What the count says the models at squeeze ratios {@code srs} weigh at 4 bytes a parameter, in both MBs. */
    public static String weights(double... srs) {
        StringBuilder weighs = new StringBuilder();
        for (double sr : srs) {
            Model m = Models.squeezenet(227, sr);
            weighs.append(String.format(Locale.ROOT, "SR = %s: %,d params = %.1f MB (2²⁰ bytes), %.1f MB (10⁶ bytes)%n",
                    sr, m.params(), m.params() * 4 / MIB, m.params() * 4 / 1e6));
        }
        return weighs.toString();
    }
}
