package effconv.runtime;

import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx2;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx2_vnni;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx512_core;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx512_core_amx;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx512_core_bf16;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_sse41;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The arithmetic a lesson's training digits depend on: oneDNN's kernel family and the threads. */
class ArithmeticTest {

    @Test
    void everyIsaFallsInTheFamilyWhoseKernelsItRuns() {
        assertEquals("avx512_core", Arithmetic.family(dnnl_cpu_isa_avx512_core));
        assertEquals("avx512_core", Arithmetic.family(dnnl_cpu_isa_avx512_core_bf16));  // Zen 4
        assertEquals("avx512_core", Arithmetic.family(dnnl_cpu_isa_avx512_core_amx));   // Sapphire Rapids
        assertEquals("avx2", Arithmetic.family(dnnl_cpu_isa_avx2));
        assertEquals("avx2", Arithmetic.family(dnnl_cpu_isa_avx2_vnni));                  // Alder Lake
        assertEquals("avx", Arithmetic.family(dnnl_cpu_isa_avx));
        assertEquals("sse41", Arithmetic.family(dnnl_cpu_isa_sse41));
    }

    @Test
    void thisProcessNamesItsKernelsAndThreads() {
        Arithmetic here = Arithmetic.here();
        assertTrue(here.threads() >= 1, here.signature());
        assertEquals(here.kernels() + ", " + here.threads() + (here.threads() == 1 ? " thread" : " threads"),
                here.signature());
        assertEquals("oneDNN's " + here.kernels() + " kernels", here.toString());
    }
}
