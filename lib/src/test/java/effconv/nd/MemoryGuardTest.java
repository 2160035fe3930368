package effconv.nd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

class MemoryGuardTest {

    @Test
    void memoryIsCrowdedPastHalfItsBudget() {
        System.gc();
        assertFalse(MemoryGuard.crowded(), () -> Pointer.totalBytes() + " of " + Pointer.maxBytes() + " bytes");
        // reserved, not touched: tracked by JavaCPP, not yet resident
        BytePointer big = new BytePointer(Pointer.maxBytes() / 2 + (1 << 20));
        try {
            assertTrue(MemoryGuard.crowded());
        } finally {
            big.deallocate();
        }
        assertFalse(MemoryGuard.crowded());
    }
}
