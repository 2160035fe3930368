package effconv.runtime;

import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx2;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx512_core;
import static org.bytedeco.dnnl.global.dnnl.dnnl_get_effective_cpu_isa;

/**
 * Which float arithmetic oneDNN does here: the family of kernels it runs (picked by the CPU, or capped by
 * {@code ONEDNN_MAX_CPU_ISA}) and the threads it splits the work over. Two runs with the same arithmetic add in the
 * same order, so a seeded training repeats to the last digit; another family or thread count adds in another order,
 * and training carries that rounding into the last digits of its losses and accuracies. A lesson's training cells
 * are compared exactly only where the arithmetic is the one they were saved with.
 *
 * @param kernels the kernel family: {@code avx512_core}, {@code avx2}, {@code avx} or {@code sse41}
 * @param threads the threads a primitive runs on (OpenMP's, set by {@code lib/jvm/run})
 */
public record Arithmetic(String kernels, int threads) {

    /** This process's arithmetic. */
    public static Arithmetic here() {
        return new Arithmetic(family(dnnl_get_effective_cpu_isa()), threadCount());
    }

    /** The kernel family of a oneDNN ISA: each family's kernels add in one order, whichever extensions it adds. */
    static String family(int isa) {
        if ((isa & dnnl_cpu_isa_avx512_core) == dnnl_cpu_isa_avx512_core) {
            return "avx512_core";
        } else if ((isa & dnnl_cpu_isa_avx2) == dnnl_cpu_isa_avx2) {
            return "avx2";
        } else if ((isa & dnnl_cpu_isa_avx) == dnnl_cpu_isa_avx) {
            return "avx";
        }
        return "sse41";
    }

    private static int threadCount() {
        String omp = System.getenv("OMP_NUM_THREADS");
        try {
            return omp == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(omp.trim());
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** The line the notebook tools compare ("avx512_core, 2 threads"). */
    public String signature() {
        return kernels + ", " + threads + (threads == 1 ? " thread" : " threads");
    }

    /** The kernels, as a lesson's "Training on …" line names them beside the machine and its threads. */
    @Override
    public String toString() {
        return "oneDNN's " + kernels + " kernels";
    }

    /** Prints {@link #signature()}: the notebook tools ask it under each kernel selection they run. */
    public static void main(String[] args) {
        System.out.println(here().signature());
    }
}
