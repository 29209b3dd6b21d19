package dev.groundwork.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gw train}: help for every stage, and bad flag values rejected with the flag's name. */
class TrainCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run gw(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new Gw());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everyStagePrintsHelp() {
        for (String stage : new String[]{"visual", "two-stream", "relational", "retrieval"}) {
            Run r = gw("train", stage, "--help");
            assertEquals(0, r.code(), stage);
            for (String flag : new String[]{"--data-train", "--data-val", "--learning-rate", "--batch-size", "--n-epochs", "--sigma",
                    "--temperature", "--dropout-rate", "--base-model-learnable-layers", "--num-heads", "--embedding-dim",
                    "--subspace-dim", "--relation-num", "--load-pretrained", "--exp-dir", "--resume", "--seed", "--device", "--preset", "--vocab"})
                assertTrue(r.out().contains(flag), stage + " help lacks " + flag);
        }
        assertTrue(gw("train", "--help").out().contains("two-stream"));
    }

    private static Run bad(Path dir, String flag, String value) throws Exception {
        Path data = Files.writeString(dir.resolve("COCO_train.json"), "{}");
        return gw("train", "relational", "--data-train", data.toString(), "--exp-dir", dir.resolve("exp").toString(), "--vocab", data.toString(), flag, value);
    }

    @Test
    void badValuesNameTheFlag(@TempDir Path dir) throws Exception {
        String[][] cases = {
                {"--batch-size", "0"}, {"--batch-size", "many"}, {"--n-epochs", "-1"}, {"--learning-rate", "-0.1"},
                {"--dropout-rate", "1.5"}, {"--sigma", "0"}, {"--temperature", "-1"}, {"--num-heads", "7"},
                {"--embedding-dim", "512"}, {"--base-model-learnable-layers", "13"}, {"--relation-num", "1"},
                {"--subspace-dim", "0"}, {"--device", "tpu"}, {"--preset", "huge"}, {"--load-pretrained", "/no/such/file.pth"}};
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
        assertTrue(r.err().contains("--data-train") && r.err().contains("--exp-dir"), r.err());
    }

    @Test
    void missingDataFileIsNamed(@TempDir Path dir) {
        Run r = gw("train", "two-stream", "--data-train", dir.resolve("nope.json").toString(), "--exp-dir", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--data-train"), r.err());
    }
}
