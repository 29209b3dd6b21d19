package dev.groundwork.engine.dist;

import dev.groundwork.engine.testing.MpiRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Open MPI through FFM, N processes on this host: every collective against values each rank computes itself, and failing ranks. */
class MpiCommunicatorTest {
    @ParameterizedTest(name = "{0} processes")
    @ValueSource(ints = {2, 4})
    void collectivesMatchTheReference(int np) throws Exception {
        MpiRun.Result r = MpiRun.run(np, 120, CollectivesMain.class, "check");
        assertEquals(0, r.exitCode(), r.output());
        for (int k = 0; k < np; k++) assertTrue(r.output().contains("OK rank " + k + " of " + np + " via Open MPI"), r.output());
    }

    @Test
    void aStalledRankMakesTheOthersFailNamingTheCollective() throws Exception {
        MpiRun.Result r = MpiRun.run(2, 60, CollectivesMain.class, "stall");
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("FAILED rank 0 of 2: all-reduce of 8 F32 did not complete within 2 s"), r.output());
        assertTrue(r.seconds() < 40, "took " + r.seconds() + " s:\n" + r.output());
    }

    @Test
    void aDeadRankEndsTheJob() throws Exception {
        MpiRun.Result r = MpiRun.run(2, 60, CollectivesMain.class, "die");
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.seconds() < 40, "took " + r.seconds() + " s:\n" + r.output());
    }
}
