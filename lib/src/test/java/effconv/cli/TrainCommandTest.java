package effconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** {@code ./course train}: help, one-line errors naming the flag as typed, and the JSON that scripts read. */
class TrainCommandTest {

    private record Ran(int code, String out, String err) {
    }

    private static Ran run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TrainCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpExitsZero() {
        Ran r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--net=NAME") && r.out().contains("--width-match"), r.out());
    }

    @Test
    void badValuesExitTwoWithOneLineNamingTheFlag() {
        String[][] cases = {
            {"--groups", "5"}, {"--net", "hexagonal"}, {"--epochs", "0"}, {"--train", "20000"}, {"--train", "10"},
            {"--bogus"}, {"--groups", "x"}, {"--net", "alexnet-tiny", "--groups", "3"},
        };
        String[] expected = {"train: --groups 5 is not allowed", "train: --net hexagonal is not allowed",
            "train: --epochs 0 is not allowed", "train: --train 20000 is not allowed", "train: --train 10 is not allowed",
            "train: --bogus is not an option of train", "train: Invalid value for option --groups: x", "train: --groups 3 is not allowed"};
        for (int i = 0; i < cases.length; i++) {
            Ran r = run(cases[i]);
            assertEquals(2, r.code(), String.join(" ", cases[i]));
            assertTrue(r.err().startsWith(expected[i]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void aCommandLineRunsInACell() {
        effconv.train.TrainResult r = TrainCommand.train("./course train --net alexnet-tiny --groups 2 --no-bn --epochs 1 "
                + "--train 128 --seed 4");
        assertEquals("./course train --net alexnet-tiny --groups 2 --no-bn --epochs 1 --seed 4 --train 128", r.command());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainCommand.train("./course train --groups 5"));
        assertTrue(e.getMessage().startsWith("--groups 5 is not allowed"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainCommand.train("--epochs"));
        assertTrue(e.getMessage().contains("--epochs"), e.getMessage());
    }

    @Test
    void jsonHasTheFieldsScriptsRead() {
        Ran r = run("--net", "shufflenet-tiny", "--groups", "2", "--epochs", "1", "--train", "256", "--seed", "3", "--json");
        assertEquals(0, r.code(), r.err());
        for (String key : new String[] {"\"net\":\"shufflenet-tiny\"", "\"groups\":2", "\"shuffle\":true", "\"bn\":true",
            "\"seed\":3", "\"epochs\":1", "\"train_images\":256", "\"test_images\":10000", "\"params\":", "\"macs\":",
            "\"test_accuracy\":", "\"seconds_per_epoch\":", "\"corr_within\":", "\"dead_channels\":",
            "\"command\":\"./course train --net shufflenet-tiny --groups 2 --epochs 1 --seed 3 --train 256\""}) {
            assertTrue(r.out().contains(key), key + " in " + r.out());
        }
        assertEquals(1, r.out().strip().lines().count());
        assertTrue(r.err().contains("epoch 1/1"), r.err());
    }
}
