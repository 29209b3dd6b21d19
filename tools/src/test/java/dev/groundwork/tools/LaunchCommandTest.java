package dev.groundwork.tools;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gw launch's plan: global and local ranks of a node, the environment each process gets, and refused layouts. */
class LaunchCommandTest {
    @Test
    void secondNodeOfTwoNumbersItsRanksAfterTheFirst() {
        List<LaunchCommand.Rank> r = LaunchCommand.plan(4, 2, 1, Path.of("/shared/run7/id"));
        assertEquals(4, r.size());
        for (int l = 0; l < 4; l++) {
            assertEquals(4 + l, r.get(l).rank());
            assertEquals(l, r.get(l).localRank());
            assertEquals(Integer.toString(4 + l), r.get(l).env().get("GW_RANK"));
            assertEquals("8", r.get(l).env().get("GW_WORLD_SIZE"));
            assertEquals(Integer.toString(l), r.get(l).env().get("GW_LOCAL_RANK"));
            assertEquals("/shared/run7/id", r.get(l).env().get("GW_RENDEZVOUS"));
        }
    }

    @Test
    void badLayoutsAreRefusedNamingTheFlag() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LaunchCommand.plan(0, 1, 0, Path.of("x"))).getMessage().contains("--nproc-per-node"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LaunchCommand.plan(2, 2, 2, Path.of("x"))).getMessage().contains("--node-rank"));
    }

    @Test
    void aCpuRunUnderGwLaunchIsOneLineNamingMpirun() throws Exception {
        // What a process gw launch started sees: its rank in the environment, and a CPU device.
        var settings = dev.groundwork.engine.settings.Settings.of(java.util.Map.of("GW_RANK", "1", "GW_WORLD_SIZE", "2", "GW_LOCAL_RANK", "1"));
        assertEquals(List.of(1, 2, 1), java.util.Arrays.stream(settings.launchedRank().orElseThrow()).boxed().toList());
        var w = new dev.groundwork.models.train.ProcessGroup.World(dev.groundwork.models.train.ProcessGroup.Launcher.GW_LAUNCH, 1, 2, 1);
        var e = assertThrows(dev.groundwork.engine.dist.CommunicatorException.class,
                () -> dev.groundwork.models.train.ProcessGroup.open(w, dev.groundwork.engine.tensor.Device.CPU));
        assertTrue(e.getMessage().startsWith("rank 1: gw launch starts GPU processes joined by NCCL") && e.getMessage().contains("mpirun -np N"), e.getMessage());
    }
}
