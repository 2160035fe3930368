package effconv;

/** Loads ND4J once so its native libraries are unpacked before a student's first cell (run by ./course setup). */
public final class Warmup {
    private Warmup() {
    }

    public static void main(String[] args) {
        Shape in = Shape.of(3, 8);
        System.out.println(Summary.run(Conv2d.of(3, 4, 3), in).output());
    }
}
