package effconv.cli;

/**
 * Prints the CPUs this process may use, as the JVM counts them (the cgroup CPU quota and the affinity mask), for
 * {@code lib/jvm/run}, which sets ND4J's and oneDNN's threads from it before their JVM starts. Loads nothing but
 * itself, so the probe costs a bare JVM start.
 */
public final class CpuCount {
    private CpuCount() {
    }

    public static void main(String[] args) {
        System.out.println(Runtime.getRuntime().availableProcessors());
    }
}
