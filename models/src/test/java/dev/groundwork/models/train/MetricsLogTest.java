package dev.groundwork.models.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsLogTest {
    @TempDir Path dir;

    private Path file(String text) throws IOException { return Files.writeString(dir.resolve("metrics.jsonl"), text); }

    @Test
    void nonFiniteNumbersAreWrittenAsNullNestedOnesToo() throws Exception {
        MetricsLog log = new MetricsLog(dir.resolve("metrics.jsonl"));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", "epoch");
        r.put("epoch", 1);
        r.put("loss", Double.NaN);
        r.put("val", Map.of("acc", Double.POSITIVE_INFINITY));
        log.append(r);
        assertEquals("{\"kind\":\"epoch\",\"epoch\":1,\"loss\":null,\"val\":{\"acc\":null}}\n", Files.readString(log.file()));
    }

    @Test
    void nullNanAndInfinityReadAsGaps() throws Exception {
        MetricsLog log = new MetricsLog(file("""
                {"epoch": 1, "loss": 2.0, "acc": null}
                {"epoch": 2, "loss": NaN, "acc": 30}
                {"epoch": 3, "loss": Infinity, "acc": -Infinity}
                {"epoch": 4, "loss": 1.0, "acc": 40}
                """));
        MetricsLog.Curves c = log.curves().getFirst();
        assertEquals(List.of(1.0, 4.0), c.series().get("loss").x());
        assertEquals(List.of(2.0, 1.0), c.series().get("loss").y());
        assertEquals(List.of(2.0, 4.0), c.series().get("acc").x());
    }

    @Test
    void epochAndStepRecordsAreSeparateCurvesAndNestedFieldsAreFlattened() throws Exception {
        MetricsLog log = new MetricsLog(file("""
                {"kind": "step", "step": 2, "epoch": 1, "loss": 3.0, "lr": 0.1}
                {"kind": "step", "step": 4, "epoch": 1, "loss": 2.5, "lr": 0.1}
                {"kind": "epoch", "epoch": 1, "step": 4, "lr": 0.1, "train": {"loss": 2.7}, "val": {"loss": 2.9, "relation_acc1": 40}}
                {"kind": "step", "step": 6, "epoch": 2, "loss": 2.0, "lr": 0.05}
                {"kind": "partial", "epoch": 2, "step": 6, "batches": 2, "batches_per_epoch": 4, "lr": 0.05, "train": {"loss": 2.1}}
                """));
        List<MetricsLog.Curves> curves = log.curves();
        assertEquals(2, curves.size());
        MetricsLog.Curves epochs = curves.get(0), steps = curves.get(1);
        assertEquals("epoch", epochs.x());
        assertEquals(List.of("lr", "train.loss", "val.loss", "val.relation_acc1"), List.copyOf(epochs.series().keySet()));
        assertEquals(List.of(1.0, 1.5), epochs.series().get("train.loss").x());   // the partial epoch at half done
        assertEquals("step", steps.x());
        assertEquals(List.of(2.0, 4.0, 6.0), steps.series().get("loss").x());
        assertEquals(List.of("loss", "lr"), List.copyOf(steps.series().keySet()));
    }

    @Test
    void truncateKeepsWhatTheCheckpointSaw() throws Exception {
        MetricsLog log = new MetricsLog(file("""
                {"kind": "step", "step": 2, "epoch": 1, "loss": 3.0}
                {"kind": "epoch", "epoch": 1, "step": 3}
                {"kind": "step", "step": 4, "epoch": 2, "loss": 2.5}
                {"kind": "partial", "epoch": 2, "step": 4, "batches": 1}
                {"epoch": 2, "step": 6}
                {"kind": "step", "step": 6, "epoch": 2, "loss": 2.0}
                """));
        log.truncate(1, 4);
        assertEquals(List.of("step 2", "epoch 1", "step 4"),
                log.read().stream().map(n -> MetricsLog.kind(n) + " " + n.path(MetricsLog.kind(n)).asInt()).toList());
    }

    @Test
    void aBadLineIsNamedByFileAndLine() throws Exception {
        MetricsLog log = new MetricsLog(file("{\"epoch\": 1}\n[1, 2]\n"));
        var e = assertThrows(IOException.class, log::read);
        assertTrue(e.getMessage().endsWith("metrics.jsonl:2: not a JSON object"), e.getMessage());
    }
}
