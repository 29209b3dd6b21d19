package dev.groundwork.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlotCommandTest {
    @TempDir Path tmp;

    @Test
    void writesOnePngPerGroup() throws Exception {
        Files.writeString(tmp.resolve("metrics.jsonl"), """
                {"epoch": 1, "train_loss": 2.5, "val_loss": 2.7, "acc@1": 0.31, "acc@5": 0.62, "lr": 0.001, "note": "warmup"}
                {"epoch": 2, "train_loss": 1.9, "val_loss": 2.1, "acc@1": 0.40, "acc@5": 0.71, "lr": 0.0005}

                {"epoch": 3, "train_loss": 1.5, "val_loss": NaN, "acc@1": 0.45, "acc@5": 0.75, "lr": 0.00025}
                """);
        CliRun r = CliRun.of(new Gw(), "plot", tmp.toString());
        assertEquals(0, r.code(), r.err());
        List<String> printed = r.out().lines().toList();
        assertEquals(List.of("loss.png", "acc@1.png", "acc@5.png", "lr.png"), printed.stream().map(p -> Path.of(p).getFileName().toString()).toList());
        for (String p : printed) {
            byte[] b = Files.readAllBytes(Path.of(p));
            assertTrue(b.length > 1000, p);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(b, 4));
            assertEquals(tmp.resolve("plots"), Path.of(p).getParent());
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(p))), p);
        }
    }

    /** A trainer's log: epoch records with nested train/val objects, step records from --log-every-steps, a partial epoch. */
    @Test
    void drawsEpochAndStepRecordsOnTheirOwnAxes() throws Exception {
        Files.writeString(tmp.resolve("metrics.jsonl"), """
                {"kind":"step","step":2,"epoch":1,"loss":3.1,"lr":0.001,"samples_per_s":410.5}
                {"kind":"epoch","epoch":1,"step":3,"lr":0.001,"train":{"loss":3.0,"loss_sum":9.0},"val":{"loss":3.2,"relation_acc1":31.0},"best_epoch":1,"best_metric":31.0,"elapsed_s":4.2}
                {"kind":"step","step":4,"epoch":2,"loss":null,"lr":0.001,"samples_per_s":398.0}
                {"kind":"partial","epoch":2,"step":4,"batches":1,"batches_per_epoch":3,"lr":0.001,"train":{"loss":2.8},"best_epoch":1,"best_metric":31.0,"elapsed_s":6.0}
                """);
        CliRun r = CliRun.of(new Gw(), "plot", tmp.toString());
        assertEquals(0, r.code(), r.err());
        List<String> names = r.out().lines().map(p -> Path.of(p).getFileName().toString()).toList();
        assertEquals(List.of("lr.png", "loss.png", "loss_sum.png", "relation_acc1.png", "step-loss.png", "step-lr.png", "step-samples_per_s.png"), names);
        for (String p : r.out().lines().toList()) assertTrue(Files.size(Path.of(p)) > 1000, p);
    }

    /** One figure per metric, its train and val curves together. */
    @Test
    void groups() {
        assertEquals("loss", PlotCommand.group("val_loss"));
        assertEquals("loss", PlotCommand.group("train.loss"));
        assertEquals("loss", PlotCommand.group("val.loss"));
        assertEquals("loss_sum", PlotCommand.group("train.loss_sum"));
        assertEquals("relation_acc1", PlotCommand.group("val.relation_acc1"));
        assertEquals("acc@1", PlotCommand.group("acc@1"));
        assertEquals("lr", PlotCommand.group("lr"));
        assertEquals("i2t_r@1", PlotCommand.group("val.i2t R@1"));
        assertEquals("recall", PlotCommand.group("val.i2t_r1"));
        assertEquals("recall", PlotCommand.group("val.t2i_r10"));
        assertEquals("rsum", PlotCommand.group("val.rsum"));
    }

    @Test
    void missingFileIsNamed() {
        CliRun r = CliRun.of(new Gw(), "plot", tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(tmp.resolve("metrics.jsonl").toString()) && r.err().contains("no such file"), r.err());
    }

    @Test
    void badLineIsNamed() throws Exception {
        Files.writeString(tmp.resolve("metrics.jsonl"), "{\"step\": 1, \"loss\": 1}\n{oops\n");
        CliRun r = CliRun.of(new Gw(), "plot", tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("metrics.jsonl:2"), r.err());
    }
}
