package dev.groundwork.tools;

import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.vgbert.TransferModel;
import dev.groundwork.models.vgbert.VgBertConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;

/** gw search and gw eval retrieval on a real (randomly initialised, demo-sized) transfer checkpoint. */
class TransferModelCommandsTest {
    @TempDir Path tmp;

    /** The real bert-base-uncased vocab.txt ({@link SharedData}). */
    static Path vocab() { return SharedData.file("bert-base-uncased-vocab.txt"); }

    private Path checkpoint() throws Exception {
        TransferModel m = new TransferModel(VgBertConfig.demo(), new Generator(4));
        Path p = tmp.resolve("transfer.safetensors");
        TensorFiles.save(p, m.stateDict());
        return p;
    }

    @Test
    void searchRanksTheQueryImageFirstWithCosineOne() throws Exception {
        Path model = checkpoint();
        ColourFactory.png(tmp.resolve("imgs/red.png"), 0xFF0000);
        ColourFactory.png(tmp.resolve("imgs/blue.png"), 0x0000FF);
        ColourFactory.png(tmp.resolve("imgs/mixed.png"), 0x8040C0);
        CliRun r = CliRun.of(new Gw(), "search", "--model", model.toString(), "--folder", tmp.resolve("imgs").toString(),
                "--image", tmp.resolve("imgs/blue.png").toString(), "--top", "3", "--vocab", vocab().toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("3 images (3 embedded now, 0 from cache)"), r.out());
        assertTrue(lines[1].endsWith("blue.png") && lines[1].contains("1.0000"), r.out());
        CliRun t = CliRun.of(new Gw(), "search", "--model", model.toString(), "--folder", tmp.resolve("imgs").toString(),
                "--text", "a red circle left of a blue square", "--vocab", vocab().toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().startsWith("3 images (0 embedded now, 3 from cache)"), t.out());
        for (String line : t.out().split("\n")) {
            if (line.startsWith("3 images")) continue;
            double score = Double.parseDouble(line.trim().split("\\s+")[1]);
            assertTrue(score >= -1.0001 && score <= 1.0001, "cosine out of range: " + line);
        }
    }

    @Test
    void evalRetrievalOnASmallSplitReportsBothDirections() throws Exception {
        Path model = checkpoint();
        StringBuilder json = new StringBuilder("{\"images\":[");
        String[] colours = {"red", "green", "blue", "yellow", "purple"};
        int[] rgb = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0x800080};
        for (int i = 0; i < 5; i++) {
            ColourFactory.png(tmp.resolve("coco/val2014/" + colours[i] + ".png"), rgb[i]);
            StringBuilder caps = new StringBuilder("[");
            for (int k = 0; k < 5; k++) caps.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT, "{\"raw\":\"a %s square number %d\"}", colours[i], k));
            json.append(i == 0 ? "" : ",").append("{\"filepath\":\"val2014\",\"filename\":\"").append(colours[i])
                    .append(".png\",\"split\":\"test\",\"sentences\":").append(caps).append("]}");
        }
        Path karpathy = Files.writeString(tmp.resolve("dataset_coco.json"), json.append("]}").toString());
        CliRun r = CliRun.of(new Gw(), "eval", "retrieval", "--model", model.toString(), "--karpathy", karpathy.toString(),
                "--images", tmp.resolve("coco").toString(), "--protocol", "5k", "--vocab", vocab().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("5 images, 25 captions"), r.out());
        // Text to image ranks only five images, so R@5 and R@10 are 100 whatever the (random) model does;
        // image to text ranks 25 captions, where they need not be.
        // Five images are not the 5k protocol: the line says what ran.
        assertTrue(r.out().matches("(?s).*all 5 images \\(the 5k protocol needs 5000\\)  i2t R@1 [0-9.]+ R@5 [0-9.]+ R@10 [0-9.]+ \\| t2i R@1 [0-9.]+ R@5 100\\.00 R@10 100\\.00 \\| rsum.*"), r.out());
    }
}
