/**
 * The course kernel: JJava's Java kernel with the few changes a student meets in JupyterLab, each in a class of its
 * own so it can be tested at the level of Jupyter messages. For maintainers of the course's set-up; lessons never
 * use this package. {@link effconv.kernel.CourseKernel} starts it (tools/setup/kernelspec.py writes the kernelspec that
 * does); the module is compiled and tested against the jjava.jar the kernel runs.
 */
package effconv.kernel;
