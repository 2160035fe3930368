package effconv.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Where training reports how it goes. In a notebook the course kernel installs a live display that updates in
 * place ({@code effconv.jupyter}); elsewhere each finished epoch is one line of text.
 */
public interface Progress {

    /** Training starts: {@code epochs} epochs of {@code steps} batches each. */
    void start(String what, int epochs, int steps);

    /** A batch is done; called after every batch, so implementations decide how often to show it. */
    void step(int epoch, int step, double loss, double accuracy);

    /** An epoch is done, with its test accuracy. */
    void epoch(TrainResult.Epoch e);

    /** Training is over. */
    void finish();

    /** Nothing is shown. */
    Progress NONE = new Progress() {
        @Override
        public void start(String what, int epochs, int steps) {
        }

        @Override
        public void step(int epoch, int step, double loss, double accuracy) {
        }

        @Override
        public void epoch(TrainResult.Epoch e) {
        }

        @Override
        public void finish() {
        }
    };

    /** One line per epoch on {@code out}. */
    static Progress lines(PrintStream out) {
        return new Progress() {
            private int epochs;

            @Override
            public void start(String what, int epochs, int steps) {
                this.epochs = epochs;
                out.println("training " + what);
            }

            @Override
            public void step(int epoch, int step, double loss, double accuracy) {
            }

            @Override
            public void epoch(TrainResult.Epoch e) {
                out.println(line(e, epochs));
                out.flush();
            }

            @Override
            public void finish() {
            }
        };
    }

    /** "epoch 2/3: loss 0.4121, train 85.10%, test 84.30%, 3.2 s". */
    static String line(TrainResult.Epoch e, int epochs) {
        return String.format(Locale.ROOT, "epoch %d/%d: loss %.4f, train %.2f%%, test %.2f%%, %.1f s", e.epoch(),
                epochs, e.loss(), 100 * e.trainAccuracy(), 100 * e.testAccuracy(), e.seconds());
    }

    /** The progress display training uses when none is given: the notebook's, when a kernel installed one. */
    static Progress standard() {
        return Standard.factory.get();
    }

    /** Installs the default display (the course kernel's extension does, at start). */
    static void setStandard(Supplier<Progress> factory) {
        Standard.factory = factory;
    }

    /** Holder of the default. */
    final class Standard {
        private static volatile Supplier<Progress> factory = () -> lines(System.out);

        private Standard() {
        }
    }
}
