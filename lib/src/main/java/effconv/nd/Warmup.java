package effconv.nd;

import effconv.layers.Conv2d;
import effconv.layers.Shape;
import org.nd4j.linalg.factory.Nd4j;

/** Loads ND4J ahead of a student's first cell: at set-up (native libraries unpacked) and at kernel start. */
public final class Warmup {
    private Warmup() {
    }

    public static void main(String[] args) {
        Shape in = Shape.of(3, 8);
        System.out.println(RunSummary.of(Conv2d.of(3, 4, 3), in).output());
    }

    /**
     * Starts loading ND4J's native libraries on a background thread (the kernel's start-up script calls this), so
     * they load while the first cell compiles instead of after it; a cell that needs ND4J sooner simply waits.
     */
    public static void inBackground() {
        Thread t = new Thread(() -> Nd4j.scalar(0f), "effconv-nd4j-warmup");
        t.setDaemon(true);
        t.start();
    }
}
