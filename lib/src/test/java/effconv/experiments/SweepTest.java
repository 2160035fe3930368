package effconv.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import effconv.train.Progress;
import effconv.train.TinyNet;
import effconv.train.TrainResult;
import effconv.train.Training;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The committed sweeps read back as the lessons show them, and a committed row trained again. */
class SweepTest {

    @Test
    void theSweepsReadBackAsTheLessonsShowThem() {
        Sweep s = Sweep.load(TinyNet.SHUFFLENET);
        assertEquals(11 * 5, s.runs().size()); // g = 1, and 2, 3, 4, 8, 24 with and without shuffle; 5 seeds each
        Sweep on = s.where(n -> n.groups() == 1 || n.shuffle());
        Sweep off = s.where(n -> n.groups() == 1 || !n.shuffle());
        assertArrayEquals(new int[] {1, 2, 3, 4, 8, 24}, on.groups());
        tech.tablesaw.api.Table gains = Sweep.shuffleGains(on, off);
        assertEquals(5, gains.rowCount());
        // Table 3's rows where the group counts meet, error without − with: g = 3 at 1×, 0.5×, 0.25×
        // (34.5 − 32.6, 45.7 − 43.2, 56.3 − 55.0), g = 8 at 1× (37.6 − 32.4)
        assertEquals(List.of("1.9", "2.5", "1.3"), List.of(gains.getString(1, 4), gains.getString(1, 5),
                gains.getString(1, 6)));
        assertEquals("5.2", gains.getString(3, 4));
        assertEquals("—", gains.getString(0, 4));
        // the paired gain is the mean of the per-seed differences
        Sweep.Config on2 = on.configs().get(1);
        Sweep.Config off2 = off.configs().get(1);
        double d = 0;
        for (int i = 0; i < 5; i++) {
            d += 100 * (on2.runs().get(i).accuracy() - off2.runs().get(i).accuracy()) / 5;
        }
        assertEquals(Math.round(d * 100) / 100.0, gains.doubleColumn(1).get(0), 1e-9);
        assertTrue(Sweep.shuffleGainSentence(on, off).startsWith("The shuffle's gain on Fashion-MNIST, paired by "
                + "seed over 5 seeds"), Sweep.shuffleGainSentence(on, off));
        Sweep alex = Sweep.load(TinyNet.ALEXNET);
        assertEquals(11 * 5, alex.runs().size());
        long withDead = alex.runs().stream().filter(r -> !r.net().batchNorm() && r.net().groups() == 1
                && r.deadChannels() > 0).count();
        assertEquals(withDead, alex.where(n -> !n.batchNorm() && n.groups() == 1).pruning().rowCount());
        Sweep halves = Sweep.load(Sweep.HALVES);
        assertEquals(4 * 5, halves.runs().size()); // g = 2 and 4, with and without shuffle
        Sweep schedules = Sweep.load(Sweep.SCHEDULE);
        assertEquals(6 * 5, schedules.runs().size()); // g = 1 and 4 at three schedules
        for (Sweep sweep : List.of(s, alex, halves, schedules)) {
            for (Sweep.Config c : sweep.configs()) {
                assertEquals(List.of(1L, 2L, 3L, 4L, 5L), c.runs().stream().map(Sweep.Run::seed).toList(),
                        sweep.label(c));
            }
            for (Sweep.Run r : sweep.runs()) {
                assertEquals(r.net().model().params(), r.params(), r.command());
                assertEquals(r.net().model().macs(), r.macs(), r.command());
                assertEquals(6, r.epochs(), r.command());
                assertEquals(r.accuracy(), r.curve()[r.epochs() - 1], 0.0, r.command()); // the last epoch's
            }
        }
    }

    /**
     * A committed row of the sweep, trained again: exactly equal on the machine and thread count that made it, and
     * within two points of accuracy elsewhere (another processor or thread count rounds sums differently, and
     * training amplifies it — the stated tolerance of the committed results).
     */
    @Test
    void aCommittedRowRepeats() {
        Sweep.Run row = Sweep.load(TinyNet.SHUFFLENET).runs().stream()
                .filter(r -> r.command().equals("./course train --net shufflenet-tiny --groups 8 --epochs 6 --seed 1"))
                .findFirst().orElseThrow();
        // the row's learning curve holds the accuracy after every epoch: two epochs of the same run are enough
        TrainResult again = Training.of(row.net()).epochs(2).seed(row.seed()).progress(Progress.NONE).run();
        assertEquals(row.params(), again.params());
        assertEquals(row.macs(), again.macs());
        assertEquals(row.curve()[1], again.testAccuracy(), 0.02, "committed " + row.curve()[1] + " after 2 epochs, "
                + "now " + again.testAccuracy());
    }
}
