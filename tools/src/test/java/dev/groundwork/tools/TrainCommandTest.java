package dev.groundwork.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.engine.settings.Settings;
import dev.groundwork.models.data.SynthScenes;
import dev.groundwork.models.train.MetricsLog;
import dev.groundwork.models.train.Trainer;
import dev.groundwork.models.vgbert.recipe.RunSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gw train}: help for every stage, and bad flag values rejected with the flag's name. */
class TrainCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run gw(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Gw.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Each stage's help lists the flags it uses and no other stage's (spec 8: which script takes which). */
    @Test
    void everyStageListsOnlyItsOwnFlags() {
        List<String> common = List.of("--data-train", "--data-val", "--learning-rate", "--batch-size", "--n-epochs", "--dropout-rate",
                "--embedding-dim", "--out", "--resume", "--seed", "--device", "--preset", "--workers", "--log-every-steps", "--max-steps",
                "--save-every-steps", "--bad-records");
        Map<String, List<String>> own = Map.of(
                "visual", List.of("--pretrained-vgg"),
                "two-stream", List.of("--vocab", "--pretrained-vgg", "--bert", "--load-pretrained", "--sigma", "--base-model-learnable-layers", "--train-backbone",
                        "--images", "--negatives"),
                "relational", List.of("--vocab", "--load-pretrained", "--temperature", "--base-model-learnable-layers", "--train-backbone",
                        "--num-heads", "--subspace-dim", "--relation-num"),
                "retrieval", List.of("--vocab", "--load-pretrained", "--num-heads", "--subspace-dim", "--relation-num", "--images", "--negatives"));
        List<String> all = own.values().stream().flatMap(List::stream).distinct().toList();
        for (var e : own.entrySet()) {
            Run r = gw("train", e.getKey(), "--help");
            assertEquals(0, r.code(), e.getKey());
            for (String flag : common) assertTrue(r.out().matches("(?s).*" + flag + "[=,\\s].*"), e.getKey() + " help lacks " + flag);
            for (String flag : all)
                assertEquals(e.getValue().contains(flag), r.out().matches("(?s).*\n {2,6}(-\\w, )?(--[\\w-]+, )*" + flag + "[=,\\s].*"),
                        e.getKey() + " help and " + flag + ":\n" + r.out());
        }
        assertTrue(gw("train", "--help").out().contains("two-stream"));
    }

    /** The original scripts' spellings are aliases; another stage's flag or a typo is refused with a suggestion. */
    @Test
    void originalSpellingsAreAcceptedAndTyposGetASuggestion(@TempDir Path dir) throws Exception {
        var spec = Gw.commandLine().getSubcommands().get("train").getSubcommands().get("two-stream").getCommandSpec();
        assertEquals(spec.findOption("--n-epochs"), spec.findOption("--n_epochs"));
        assertEquals(spec.findOption("--out"), spec.findOption("--exp-dir"));
        assertEquals(spec.findOption("--learning-rate"), spec.findOption("--lr"));
        assertEquals(spec.findOption("-b"), spec.findOption("--batch-size"));
        Run r = gw("train", "two-stream", "--data-train", "x", "--out", dir.toString(), "--bert", "none", "--learnig-rate", "1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("did you mean --learning-rate?"), r.err());
        assertTrue(r.err().length() < 400, "the usage error is a few lines, not the help:\n" + r.err());
        r = gw("train", "two-stream", "--lerning-rate", "1");
        assertTrue(r.err().contains("Missing required options") && r.err().contains("did you mean --learning-rate?"), r.err());
        r = gw("train", "relational", "--data-train", "x", "--out", dir.toString(), "--sigma", "1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--sigma is a flag of gw train two-stream, not of this command"), r.err());
    }

    /** Each stage's help shows its own defaults (spec 8), taken from the recipe's {@link Stage}. */
    @Test
    void helpShowsTheStagesOwnDefaults() {
        String two = gw("train", "two-stream", "--help").out(), rel = gw("train", "relational", "--help").out();
        assertTrue(two.matches("(?s).*--batch-size=N\\s+images or texts per batch \\(default 180\\).*"), two);
        assertTrue(two.matches("(?s).*base learning rate \\(default 0\\.00005\\).*"), two);
        assertTrue(two.matches("(?s).*epochs \\(default 100\\).*"), two);
        assertTrue(rel.matches("(?s).*epochs \\(default 150\\).*") && rel.contains("(default 0.1;"), rel);
        assertTrue(gw("train", "retrieval", "--help").out().contains("images or texts per batch (default 300)"));
    }

    /** Every setting of a run has a flag, and the flag exists: a message about any setting can name what the user typed. */
    @Test
    void everyRunSettingMapsToAFlagOfTheCommand() {
        var train = Gw.commandLine().getSubcommands().get("train").getSubcommands();
        for (RecordComponent c : RunSettings.class.getRecordComponents()) {
            if (c.getName().equals("stage")) continue;   // the subcommand itself
            String flag = TrainFlags.FLAGS.get(c.getName());
            assertNotNull(flag, c.getName() + " has no flag");
            assertTrue(train.values().stream().anyMatch(s -> s.getCommandSpec().findOption(flag) != null),
                    c.getName() + " maps to " + flag + ", which no gw train stage takes");
        }
    }

    /** On the stage that takes the flag: two-stream for --sigma, relational for the rest. */
    private static Run bad(Path dir, String flag, String value) throws Exception {
        Path data = Files.writeString(dir.resolve("COCO_train.json"), "{}");
        if (flag.equals("--sigma"))
            return gw("train", "two-stream", "--bert", "none", "--data-train", data.toString(), "--exp-dir", dir.resolve("exp").toString(),
                    "--vocab", data.toString(), flag, value);
        return gw("train", "relational", "--data-train", data.toString(), "--exp-dir", dir.resolve("exp").toString(), "--vocab", data.toString(), flag, value);
    }

    @Test
    void badValuesNameTheFlag(@TempDir Path dir) throws Exception {
        String[][] cases = {
                {"--batch-size", "0"}, {"--batch-size", "many"}, {"--n-epochs", "-1"}, {"--learning-rate", "-0.1"},
                {"--dropout-rate", "1.5"}, {"--sigma", "0"}, {"--temperature", "-1"}, {"--num-heads", "7"},
                {"--embedding-dim", "512"}, {"--base-model-learnable-layers", "13"}, {"--relation-num", "1"},
                {"--subspace-dim", "0"}, {"--device", "tpu"}, {"--preset", "huge"}, {"--load-pretrained", "/no/such/file.pth"},
                {"--n-epochs", "0"}, {"--workers", "-1"}, {"--log-every-steps", "-1"}, {"--max-steps", "-1"}};
        for (String[] c : cases) {
            Run r = bad(dir, c[0], c[1]);
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().lines().findFirst().orElse("").contains(c[0]), String.join(" ", c) + " -> " + r.err());
        }
    }

    @Test
    void missingRequiredFlagsAreNamed() {
        Run r = gw("train", "two-stream");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--data-train") && r.err().contains("--exp-dir") && r.err().contains("--bert"), r.err());
    }

    @Test
    void missingDataFileIsNamed(@TempDir Path dir) {
        Run r = gw("train", "two-stream", "--bert", "none", "--data-train", dir.resolve("nope.json").toString(), "--exp-dir", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--data-train"), r.err());
    }

    /** A bad GW_* variable stops gw before any work: one line naming it, exit code 2, no stack trace. */
    @Test
    void badEnvironmentSettingIsOneLineAndExit2() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Gw.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = Gw.execute(cl, Settings.of(Map.of("GW_DEVICE", "tpu", "GW_TF32", "maybe")), "data", "--help");
        assertEquals(2, code);
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("gw: GW_DEVICE='tpu'") && err.toString().contains("GW_TF32='maybe'"), err.toString());
        assertEquals("", out.toString());
        assertEquals(0, Gw.execute(Gw.commandLine(), Settings.of(Map.of("GW_DEVICE", "cpu")), "data", "--help"));
    }

    /**
     * --max-steps 3 stops stage 2 in its first epoch (4 batches of 8); --resume finishes the run. Step
     * records come every step; the partial record is replaced by the epoch's full one.
     */
    @Test
    void maxStepsStopsMidEpochAndResumeFinishes(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        SynthScenes.write(data, 40, 48, 0);
        Path exp = dir.resolve("exp");
        String[] args = {"train", "two-stream", "--bert", "none", "--preset", "demo", "--data-train", data.resolve("COCO_train.json").toString(),
                "--out", exp.toString(), "--vocab", TransferModelCommandsTest.vocab().toString(), "--batch-size", "8", "--n_epochs", "2",
                "--log-every-steps", "1", "--workers", "0"};
        Run first = gw(concat(args, "--max-steps", "3"));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().startsWith("two-stream: 0 epochs, 3 steps;"), first.out());
        List<JsonNode> log = new MetricsLog(exp.resolve(Trainer.METRICS)).read();
        assertEquals(List.of("step", "step", "step", "partial"), log.stream().map(MetricsLog::kind).toList());

        Run rest = gw(concat(args, "--resume"));
        assertEquals(0, rest.code(), rest.err());
        assertTrue(rest.out().startsWith("two-stream: 2 epochs, 8 steps;"), rest.out());
        log = new MetricsLog(exp.resolve(Trainer.METRICS)).read();
        assertEquals(8, log.stream().filter(n -> MetricsLog.kind(n).equals("step")).count());
        assertEquals(List.of(1, 2), log.stream().filter(n -> MetricsLog.kind(n).equals("epoch")).map(n -> n.path("epoch").asInt()).toList());
        assertTrue(log.stream().noneMatch(n -> MetricsLog.kind(n).equals("partial")));
        assertTrue(Files.isRegularFile(exp.resolve(Trainer.BEST)));
    }

    /** Two broken records in the synthetic index: both reported before the first step, no stack trace; skip trains without them. */
    @Test
    void badRecordsAreReportedTogetherOrSkipped(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        SynthScenes.write(data, 40, 48, 0);
        Path index = data.resolve("COCO_train.json");
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(index.toFile());
        var records = (com.fasterxml.jackson.databind.node.ArrayNode) root.get("data");
        ((com.fasterxml.jackson.databind.node.ObjectNode) records.get(2)).put("image", "gone.png");
        ((com.fasterxml.jackson.databind.node.ObjectNode) records.get(5)).remove("caption");
        Files.writeString(index, root.toString());
        String[] args = {"train", "two-stream", "--bert", "none", "--preset", "demo", "--data-train", index.toString(), "--exp-dir", dir.resolve("exp").toString(),
                "--vocab", TransferModelCommandsTest.vocab().toString(), "--batch-size", "8", "--n-epochs", "1", "--workers", "0"};
        Run fail = gw(args);
        assertEquals(2, fail.code(), fail.err());
        assertTrue(fail.err().contains("2 of ") && fail.err().contains("dataset index 2") && fail.err().contains("gone.png")
                && fail.err().contains("dataset index 5") && fail.err().contains("'caption'"), fail.err());
        assertFalse(fail.err().contains("\tat dev.groundwork"), "a stack trace was printed:\n" + fail.err());
        assertFalse(Files.exists(dir.resolve("exp").resolve(Trainer.CHECKPOINT)), "nothing trained");

        Run skip = gw(concat(args, "--bad-records", "skip"));
        assertEquals(0, skip.code(), skip.err());
        assertEquals(2, Files.readAllLines(dir.resolve("exp").resolve("bad-records-train.txt")).size());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
