package dev.groundwork.engine.golden;

import dev.groundwork.engine.tensor.Device;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The test factory of the golden parity tests: one test per case folder and device, named
 * "&lt;folder&gt; on &lt;device&gt;", so a report says which case failed or was skipped (and why).
 * Every folder found under the root runs (../shared/golden/README.md); none at all fails on CI and
 * skips elsewhere.
 */
public final class GoldenTests {
    private GoldenTests() {}

    /** Runs one case folder on one device. */
    public interface Check {
        void run(Path dir, Device device) throws Exception;
    }

    public static List<DynamicTest> everyCase(String sub, List<Device> devices, Check check) throws IOException {
        return everyCase(GoldenCase.root().resolve(sub), devices, check);
    }

    /** As {@link #everyCase(String, List, Check)} for cases under {@code base} itself (a test's own resources). */
    public static List<DynamicTest> everyCase(Path base, List<Device> devices, Check check) throws IOException {
        List<Path> dirs = GoldenCase.findUnder(base);
        if (dirs.isEmpty()) {
            if (System.getenv("CI") != null) fail("no golden cases under " + base);
            Assumptions.abort("no golden cases under " + base + " (set GW_GOLDEN)");
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : dirs) {
            for (Device d : devices) {
                tests.add(DynamicTest.dynamicTest(base.relativize(dir) + " on " + d, () -> {
                    GoldenDevices.require(d);
                    check.run(dir, d);
                }));
            }
        }
        return tests;
    }
}
