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
        assertEquals(List.of("loss.png", "accuracy.png", "lr.png"), printed.stream().map(p -> Path.of(p).getFileName().toString()).toList());
        for (String p : printed) {
            byte[] b = Files.readAllBytes(Path.of(p));
            assertTrue(b.length > 1000, p);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(b, 4));
            assertEquals(tmp.resolve("plots"), Path.of(p).getParent());
        }
    }

    @Test
    void groups() {
        assertEquals("loss", MetricsLog.group("val_loss"));
        assertEquals("accuracy", MetricsLog.group("acc@1"));
        assertEquals("accuracy", MetricsLog.group("val_acc"));
        assertEquals("accuracy", MetricsLog.group("i2t_recall@5"));
        assertEquals("lr", MetricsLog.group("lr"));
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
