/**
 * Exercises that check themselves, for students: a lesson's check cell hands the student's answer to an
 * {@link effconv.exercise.Exercise} from {@link effconv.exercise.Exercises}, which says right or not yet — with a
 * hint, and without printing the expected value, which the library computes (never typed). Above the specs,
 * networks, reports and timing packages, whose values it computes; nothing below depends on it.
 */
package effconv.exercise;
