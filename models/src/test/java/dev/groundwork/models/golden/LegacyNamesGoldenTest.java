package dev.groundwork.models.golden;

import dev.groundwork.engine.golden.GoldenCase;
import dev.groundwork.engine.golden.GoldenDevices;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.models.checkpoint.WeightLoadException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The golden model cases under the names real checkpoints use (HF BERT's {@code bert.} and
 * {@code LayerNorm.gamma/beta}, torchvision's {@code features.N}, DataParallel's {@code module.}),
 * through the same harness as {@link GoldenModelsTest}: they must pass, gradients compared under the
 * re-spelled names. A re-spelled case missing a tensor, or holding one of another shape, must fail
 * naming it.
 */
class LegacyNamesGoldenTest {
    @TempDir Path tmp;

    @TestFactory
    List<DynamicTest> respelledCases() throws Exception {
        List<GoldenCase> cases = new ArrayList<>();
        for (Path dir : GoldenCase.find("models")) {
            GoldenCase c = GoldenCase.load(dir);
            if (GoldenRespelling.plain(c)) cases.add(c);
        }
        Assumptions.assumeFalse(cases.isEmpty(), "no golden model cases in our own names under " + GoldenCase.root().resolve("models"));
        List<DynamicTest> tests = new ArrayList<>();
        for (GoldenCase c : cases)
            for (GoldenRespelling r : GoldenRespelling.ALL) {
                if (!r.appliesTo().test(c.weights().keySet())) continue;
                String label = c.name() + " " + r;
                Path base = tmp.resolve(c.name() + "-" + r.name());
                for (Device d : GoldenDevices.ALL)
                    tests.add(DynamicTest.dynamicTest(label + " on " + d, () -> {
                        GoldenDevices.require(d);
                        GoldenModelsTest.run(r.write(c, base.resolve("ok-" + d)), d);
                    }));
                // The broken variants fail at loading, before any device work: the CPU is enough.
                String victim = List.copyOf(c.weights().keySet()).get(c.weights().size() / 2);
                tests.add(DynamicTest.dynamicTest(label + " without " + victim, () -> {
                    GoldenCase broken = r.writeWithout(c, victim, base.resolve("missing"));
                    var e = assertThrows(WeightLoadException.class, () -> GoldenModelsTest.run(broken, Device.CPU));
                    assertTrue(e.getMessage().contains("missing (1): [" + victim + "]"), e.getMessage());
                }));
                tests.add(DynamicTest.dynamicTest(label + " with " + victim + " misshaped", () -> {
                    GoldenCase broken = r.writeMisshaped(c, victim, base.resolve("misshaped"));
                    var e = assertThrows(WeightLoadException.class, () -> GoldenModelsTest.run(broken, Device.CPU));
                    int[] shape = c.weights().get(victim).shape();
                    String expect = r.rename().apply(victim) + " (as " + victim + "): checkpoint "
                            + Shape.str(GoldenRespelling.grownShape(shape)) + ", module " + Shape.str(shape);
                    assertTrue(e.getMessage().contains(expect), "expected '" + expect + "' in:\n" + e.getMessage());
                }));
            }
        return tests;
    }
}
