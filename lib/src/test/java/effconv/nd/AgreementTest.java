package effconv.nd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import effconv.layers.Format;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Two computations stated as agreeing within a bound, never as a last digit another CPU would change. */
class AgreementTest {

    @Test
    void withinTheBoundTheSentenceNamesTheBoundAndNoDigitOfTheDifference() {
        INDArray a = Nd4j.createFromArray(new float[] {1f, 2f, 3f});
        INDArray b = Nd4j.createFromArray(new float[] {1f, 2.0000002f, 3f});
        Agreement agree = Agreement.of(a, b, 1e-6);
        assertTrue(agree.holds());
        assertEquals("agree to within 1e-6 (float rounding: the largest difference here is below it)", agree.toString());
        // the same sentence whatever the difference below the bound: another kernel's digit does not show
        assertEquals(agree.toString(), Agreement.of(a, a, 1e-6).toString());
    }

    @Test
    void overTheBoundItSaysSoWithTheDifference() {
        INDArray a = Nd4j.createFromArray(new float[] {1f, 2f});
        INDArray b = Nd4j.createFromArray(new float[] {1f, 2.5f});
        Agreement differ = Agreement.of(a, b, 1e-6);
        assertFalse(differ.holds());
        assertEquals("DIFFER by more than float rounding: the largest difference is 5e-1, over 1e-6", differ.toString());
    }

    @Test
    void badInputIsOneMessageNamingIt() {
        INDArray a = Nd4j.zeros(2, 3);
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
                () -> Agreement.of(a, Nd4j.zeros(3, 2), 1e-6));
        assertEquals("the two arrays' shapes, [2, 3] and [3, 2], are not allowed: they must be equal to compare element "
                + "by element", shapes.getMessage());
        IllegalArgumentException tolerance = assertThrows(IllegalArgumentException.class,
                () -> Agreement.of(a, a, 0));
        assertEquals("tolerance = 0.0 is not allowed: it must be a positive number", tolerance.getMessage());
    }

    @Test
    void boundsArePrintedAsAPersonWritesThem() {
        assertEquals("1e-6", Format.scientific(1e-6));
        assertEquals("2.5e-7", Format.scientific(2.5e-7));
        assertEquals("1e-5", Format.scientific(1e-5));
        assertEquals("1.2e4", Format.scientific(12345));
    }
}
