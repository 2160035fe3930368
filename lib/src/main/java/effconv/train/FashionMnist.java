package effconv.train;

import effconv.layers.Check;
import effconv.report.Course;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;



/**
 * The course's fixed Fashion-MNIST subset ({@code data/fashion-mnist/}: the first 12,000 training pictures and all
 * 10,000 test pictures, 28×28 grayscale, 10 classes), read from its IDX files. Pixels are scaled to [0, 1] and standardised with the
 * training set's mean and spread (0.286, 0.353), as is usual for this data.
 */
public final class FashionMnist {
    public static final int TRAIN_SIZE = 12_000;
    public static final int TEST_SIZE = 10_000;
    public static final int SIDE = 28;
    public static final String[] CLASSES = {"T-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt",
        "sneaker", "bag", "ankle boot"};
    static final float MEAN = 0.286f;
    static final float STD = 0.353f;

    private static Images train;
    private static Images test;

    private FashionMnist() {
    }

    /** The first {@code n} training images (1 … 12,000). */
    public static Images train(int n) {
        Check.positive("train", n);
        Check.atMost("train", n, TRAIN_SIZE, "the course's training subset has " + TRAIN_SIZE + " images");
        synchronized (FashionMnist.class) {
            if (train == null) {
                train = read("train", TRAIN_SIZE);
            }
        }
        return train.first(n);
    }

    /** The first {@code n} test images (1 … 10,000). */
    public static Images test(int n) {
        Check.positive("test", n);
        Check.atMost("test", n, TEST_SIZE, "the course's test subset has " + TEST_SIZE + " images");
        synchronized (FashionMnist.class) {
            if (test == null) {
                test = read("t10k", TEST_SIZE);
            }
        }
        return test.first(n);
    }

    /** All 10,000 test images: Fashion-MNIST's whole test set, 1,000 of each class. */
    public static Images test() {
        return test(TEST_SIZE);
    }

    private static Images read(String prefix, int n) {
        Path dir = Course.home().resolve("data").resolve("fashion-mnist");
        byte[] pixels = idx(dir.resolve(prefix + "-images-idx3-ubyte.gz"), 2051, n, SIDE * SIDE);
        byte[] labels = idx(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), 2049, n, 1);
        float[] x = new float[pixels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = ((pixels[i] & 0xff) / 255f - MEAN) / STD;
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels[i];
        }
        return new Images("Fashion-MNIST", x, y, 1, SIDE, CLASSES.length, MEAN, STD, 0, n);
    }

    private static byte[] idx(Path file, int magic, int n, int itemBytes) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("cannot find " + file + ": the course's Fashion-MNIST subset is missing");
        }
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            if (in.readInt() != magic) {
                throw new IllegalStateException(file + " is not an IDX file of the expected kind");
            }
            int count = in.readInt();
            if (count < n) {
                throw new IllegalStateException(file + " has " + count + " items, fewer than " + n);
            }
            for (int d = 1; d < (magic & 0xff); d++) {
                in.readInt();
            }
            byte[] out = new byte[n * itemBytes];
            in.readFully(out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
