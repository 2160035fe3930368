package effconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** {@code ./course summary}: help, and one-line errors that name the flag as typed and its value first. */
class SummaryCommandTest {

    private record Ran(int code, String out, String err) {
    }

    private static Ran run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SummaryCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exit 2 and one line starting with the expected words. */
    private static void refused(String start, String... args) {
        Ran r = run(args);
        assertEquals(2, r.code(), String.join(" ", args));
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("summary: " + start), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void helpExitsZeroWithEveryOption() {
        Ran r = run("--help");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        for (String flag : new String[] {"--layer=KIND", "--model=NAME", "--in=C", "--input=H|HxW", "--multiplier",
            "--count", "--bias", "--json", "shufflenet-v1"}) {
            assertTrue(r.out().contains(flag), flag + " in\n" + r.out());
        }
        assertEquals(0, run("-h").code());
    }

    @Test
    void anUnknownLayerIsNamedBeforeAnythingIsMissing() {
        refused("--layer hexagonal is not allowed: choose conv, grouped", "--layer", "hexagonal");
        refused("--layer hexagonal is not allowed", "--layer", "hexagonal", "--in", "3");
    }

    @Test
    void theLibrarysParameterNamesBecomeTheFlagsTyped() {
        refused("--in -4 is not allowed: it must be at least 1", "--layer", "conv", "--in", "-4", "--out", "3",
                "--kernel", "3", "--input", "8");
        refused("--out 0 is not allowed", "--layer", "conv", "--in", "4", "--out", "0", "--kernel", "3", "--input", "8");
        refused("--groups 3 is not allowed: it must divide --in 100", "--layer", "grouped", "--in", "100", "--out",
                "99", "--kernel", "3", "--input", "8", "--groups", "3");
        refused("--kernel 9 is not allowed", "--layer", "conv", "--in", "3", "--out", "3", "--kernel", "9", "--input",
                "8");
        refused("--input 0 is not allowed", "--layer", "pointwise", "--in", "3", "--out", "3", "--input", "0");
        refused("--model vgg is not allowed", "--model", "vgg");
        refused("--alpha 0.5 is not allowed for alexnet", "--model", "alexnet", "--alpha", "0.5");
        refused("--in x is not allowed: give a whole number", "--layer", "pointwise", "--in", "x", "--out", "3",
                "--input", "4");
    }

    /** Values are typed: one that does not convert is refused as it is parsed, before any flag is missed. */
    @Test
    void aValueThatDoesNotConvertIsNamedFirstAndWhole() {
        refused("--in x is not allowed: give a whole number", "--layer", "conv", "--in", "x");
        refused("--input 8x is not allowed: give H or HxW, e.g. 17 or 17x20", "--layer", "pointwise", "--in", "3",
                "--out", "3", "--input", "8x");
        refused("--count foo is not allowed: choose from bias", "--layer", "conv", "--count", "bias,foo");
        refused("--alpha NaN is not allowed: give a number", "--model", "mobilenet-v1", "--alpha", "NaN");
    }

    @Test
    void parseErrorsNameTheFlag() {
        refused("--frobnicate is not an option of summary", "--frobnicate");
        refused("--in needs a value", "--layer", "conv", "--in");
        refused("--in is given twice", "--layer", "pointwise", "--in", "3", "--in", "4");
        refused("give exactly one of --layer or --model");
        refused("--multiplier is not allowed with conv", "--layer", "conv", "--in", "3", "--out", "3", "--kernel", "3",
                "--input", "8", "--multiplier", "2");
    }
}
