package effconv.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The training loop as lesson 16 writes it in cells, from the public parts, against {@link Training}. */
class TrainingLoopTest {

    @Test
    void theLoopInTheOpenIsTraining() {
        TinyNet tiny = TinyNet.alexNet(4);
        long seed = 3;
        int epochs = 2;
        int decay = 1; // the first epoch at the constant rate, the second decaying: both ways of stepping are checked
        Images train = FashionMnist.train(640);
        Images test = FashionMnist.test(500);
        Network net = Network.of(tiny.model(), seed);
        Adam adam = Adam.of(net, Training.LEARNING_RATE);
        double[] loss = new double[epochs];
        for (int e = 1; e <= epochs; e++) {
            int[] order = Training.order(train.size(), seed, e);
            int steps = train.size() / Training.BATCH;
            for (int s = 0; s < steps; s++) {
                Images.Batch b = train.batch(order, s * Training.BATCH, Training.BATCH);
                Loss.Result l = Loss.softmaxCrossEntropy(net.forward(b.pixels(), true), b.labels());
                net.backward(l.gradient());
                adam.step(Training.rate((e - 1) * steps + s, epochs * steps, decay * steps));
                loss[e - 1] += l.loss() / steps;
            }
        }
        double accuracy = Training.accuracy(net, test);

        Network same = Network.of(tiny.model(), seed);
        var history = Training.fit(same, train, test, epochs, decay, seed, Progress.NONE, "reference");
        for (int e = 0; e < epochs; e++) {
            assertEquals(history.get(e).loss(), loss[e], 1e-12, "epoch " + (e + 1));
        }
        assertEquals(history.get(epochs - 1).testAccuracy(), accuracy, 0.0);
        assertTrue(accuracy > 0.3, "two epochs on 640 images learn something: " + accuracy);
    }

    @Test
    void thePartsNameTheirBadInput() {
        Network net = Network.of(TinyNet.alexNet(1).model(), 1);
        var lr = assertThrows(IllegalArgumentException.class, () -> Adam.of(net, 0));
        assertTrue(lr.getMessage().startsWith("lr = 0.0 is not allowed"), lr.getMessage());
        Images train = FashionMnist.train(64);
        var start = assertThrows(IllegalArgumentException.class,
                () -> train.batch(Training.order(64, 1, 1), 32, 64));
        assertTrue(start.getMessage().startsWith("start = 32 is not allowed"), start.getMessage());
        Images.Batch b = train.batch(Training.order(64, 1, 1), 0, 64);
        var labels = assertThrows(IllegalArgumentException.class,
                () -> Loss.softmaxCrossEntropy(net.forward(b.pixels(), false), new int[3]));
        assertTrue(labels.getMessage().startsWith("labels has 3 entries"), labels.getMessage());
        var epoch = assertThrows(IllegalArgumentException.class, () -> Training.order(10, 1, 0));
        assertTrue(epoch.getMessage().startsWith("epoch = 0 is not allowed"), epoch.getMessage());
    }
}
