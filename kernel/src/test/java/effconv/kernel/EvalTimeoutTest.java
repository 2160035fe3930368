package effconv.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** JJAVA_TIMEOUT as upstream JJava reads it. */
class EvalTimeoutTest {

    @Test
    void readsAsUpstreamDoes() {
        assertEquals(new EvalTimeout(-1, TimeUnit.MILLISECONDS), EvalTimeout.parse(null)); // unset: no limit
        assertEquals(new EvalTimeout(30000, TimeUnit.MILLISECONDS), EvalTimeout.parse("30000"));
        assertEquals(new EvalTimeout(30, TimeUnit.SECONDS), EvalTimeout.parse("30 seconds"));
        assertEquals(new EvalTimeout(2, TimeUnit.MINUTES), EvalTimeout.parse("2minutes"));
        assertEquals(new EvalTimeout(1, TimeUnit.HOURS), EvalTimeout.parse("1 Hours"));
        assertEquals(new EvalTimeout(-1, TimeUnit.MILLISECONDS), EvalTimeout.parse("-1"));
    }

    @Test
    void aBadValueNamesTheVariable() {
        var form = assertThrows(IllegalArgumentException.class, () -> EvalTimeout.parse("soon"));
        assertTrue(form.getMessage().startsWith("JJAVA_TIMEOUT = \"soon\" is not allowed"), form.getMessage());
        var unit = assertThrows(IllegalArgumentException.class, () -> EvalTimeout.parse("5 s"));
        assertTrue(unit.getMessage().contains("its unit \"s\" is not one of"), unit.getMessage());
    }
}
