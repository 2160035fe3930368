package effconv.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class HelperErrorsTest {

    private static IllegalArgumentException thrownBy(String className, String message) {
        IllegalArgumentException e = new IllegalArgumentException(message);
        e.setStackTrace(new StackTraceElement[] {new StackTraceElement(className, "check", "X.java", 1)});
        return e;
    }

    @Test
    void aHelperCheckIsItsOneLine() {
        var e = thrownBy("effconv.layers.Check", "groups = 5 is not allowed: it must divide 24");
        assertEquals("IllegalArgumentException: groups = 5 is not allowed: it must divide 24", HelperErrors.oneLine(e));
    }

    @Test
    void aHelperCheckFoundWhileRenderingIsStillOneLine() {
        // the kernel wraps what a renderer throws: the cause is the helper's refusal
        var wrapped = new RuntimeException("render failed", thrownBy("effconv.plot.FigureJson", "trace 0 has no point"));
        assertEquals("IllegalArgumentException: trace 0 has no point", HelperErrors.oneLine(wrapped));
    }

    @Test
    void everythingElseKeepsItsFrames() {
        assertNull(HelperErrors.oneLine(thrownBy("java.util.Objects", "bad index")));       // the JDK's
        assertNull(HelperErrors.oneLine(new IllegalStateException("effconv state")));        // another kind
        assertNull(HelperErrors.oneLine(new NumberFormatException("For input string")));      // a subclass
        var none = new IllegalArgumentException("no frames");
        none.setStackTrace(new StackTraceElement[0]);
        assertNull(HelperErrors.oneLine(none));
        assertNull(HelperErrors.oneLine(null));
    }
}
