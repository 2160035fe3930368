/**
 * What the course kernel shows: renderers for tables, summaries and charts, and live progress for long work,
 * loaded by JJava through its extension point ({@code CourseExtension}). For the kernel only; nothing else in the
 * library depends on it.
 */
package effconv.jupyter;
