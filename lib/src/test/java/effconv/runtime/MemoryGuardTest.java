package effconv.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

class MemoryGuardTest {

    @Test
    void memoryIsCrowdedPastAQuarterOfItsTensorBudgetOrHalfItsResidentCap() {
        long mb = 1 << 20;
        assertFalse(MemoryGuard.crowded(100 * mb, 768 * mb, 500 * mb, 1536 * mb));
        assertTrue(MemoryGuard.crowded(193 * mb, 768 * mb, 500 * mb, 1536 * mb));
        assertTrue(MemoryGuard.crowded(100 * mb, 768 * mb, 769 * mb, 1536 * mb));
        // no resident cap set: only tensor memory counts
        assertFalse(MemoryGuard.crowded(100 * mb, 768 * mb, 5000 * mb, 0));
    }

    @Test
    void aLargeTensorAllocationCrowdsThisKernel() {
        // reserved, not touched: tracked by JavaCPP, not yet resident
        BytePointer big = new BytePointer(Pointer.maxBytes() / 4 + (1 << 20));
        try {
            assertTrue(MemoryGuard.crowded());
        } finally {
            big.deallocate();
        }
    }
}
