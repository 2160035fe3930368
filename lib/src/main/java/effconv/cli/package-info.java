/**
 * The command line behind {@code ./course summary}, {@code bench} and {@code train} (picocli): typed options, one
 * line naming a bad flag and its value, exit code 2. For students and teachers at a shell and for the scripts
 * that call it; nothing else in the library depends on it.
 */
package effconv.cli;
