package dev.groundwork.models.golden;

import dev.groundwork.engine.golden.GoldenCase;
import dev.groundwork.engine.golden.GoldenCheck;
import dev.groundwork.engine.golden.GoldenDevices;
import dev.groundwork.engine.tensor.Device;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every case under $GW_GOLDEN/interbert/ops and $GW_GOLDEN/interbert/models on every available
 * backend, under the rules of the other parity tests: every case folder found runs, each reported
 * under its own name, and an unknown kind fails. Stands alone until the shared harness folds it in.
 */
class InterBertGoldenTest {

    @TestFactory
    List<DynamicTest> everyInterBertCase() throws Exception {
        List<Path> dirs = new ArrayList<>(GoldenCase.find("interbert/ops"));
        dirs.addAll(GoldenCase.find("interbert/models"));
        if (dirs.isEmpty()) {
            if (System.getenv("CI") != null) fail("no golden InterBERT cases under " + GoldenCase.root().resolve("interbert"));
            Assumptions.abort("no golden InterBERT cases under " + GoldenCase.root().resolve("interbert") + " (set GW_GOLDEN)");
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : dirs) {
            for (Device d : GoldenDevices.available()) {
                tests.add(DynamicTest.dynamicTest(dir.getFileName() + " on " + d, () -> {
                    GoldenCase c = GoldenCase.load(dir);
                    GoldenCheck.run(c, d, GoldenDevices.tolScale(d), env -> InterBertGolden.model(c, d, env));
                }));
            }
        }
        return tests;
    }
}
