package dev.groundwork.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gw demo interbert} at its full default size (about 2.5 minutes on 2 cores): issue 17 §4's bar for what
 * it must learn, read from its {@code --json} report; then a second run in the same folder, refused without
 * {@code --overwrite} and, with it, replacing only what the demo wrote.
 */
class DemoInterBertCommandTest {
    @TempDir Path tmp;

    @Test
    void learnsWhatTheIssueAsksAndRunsAgain() throws Exception {
        Path out = tmp.resolve("demo");
        String vocab = TransferModelCommandsTest.vocab().toString();
        CliRun r = CliRun.of(new Gw(), "demo", "interbert", "--out", out.toString(), "--quiet", "--json", "--vocab", vocab);
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        JsonNode zs = j.path("zero_shot").path("caption_to_image"), ft = j.path("fine_tuned").path("caption_to_image"), vcr = j.path("vcr");
        assertEquals(100, j.path("zero_shot").path("captions").asInt(), r.out());
        assertTrue(zs.path("r1").asDouble() >= 3 * zs.path("chance_r1").asDouble(), "zero-shot R@1 at least 3x chance: " + zs);
        assertTrue(ft.path("r1").asDouble() >= 5 * ft.path("chance_r1").asDouble(), "fine-tuned R@1 at least 5x chance: " + ft);
        assertTrue(ft.path("r1").asDouble() > zs.path("r1").asDouble(), "fine-tuned above zero-shot: " + ft + " vs " + zs);
        assertTrue(vcr.path("q_a").asDouble() >= 2 * vcr.path("chance_q_a").asDouble(), "VCR Q->A at least 2x chance: " + vcr);
        assertTrue(Files.isRegularFile(out.resolve("eval-vcr/QA_result.json")) && Files.isRegularFile(out.resolve("eval-flickr/retrieval.json")));

        CliRun again = CliRun.of(new Gw(), "demo", "interbert", "--out", out.toString(), "--quiet", "--vocab", vocab);
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().contains("holds an earlier demo; add --overwrite"), again.err());
        Path mine = Files.writeString(out.resolve("notes.txt"), "kept");
        CliRun replaced = CliRun.of(new Gw(), "demo", "interbert", "--out", out.toString(), "--overwrite", "--images", "20", "--quiet", "--vocab", vocab);
        assertEquals(0, replaced.code(), replaced.err());
        assertTrue(replaced.out().contains("1/6 data: ") && replaced.out().contains("6/6 VCR val: "), replaced.out());
        assertEquals("kept", Files.readString(mine), "--overwrite touches only what the demo writes");
        assertEquals(out.resolveSibling("demo-2"), DemoInterBertCommand.FOLDERS.withBase(out).free());
    }
}
