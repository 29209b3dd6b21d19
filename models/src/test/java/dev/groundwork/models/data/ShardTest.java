package dev.groundwork.models.data;

import dev.groundwork.engine.random.Generator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** DistributedSampler semantics with whole global batches: the ranks' batches, put together, are the one-process batches. */
class ShardTest {
    @ParameterizedTest(name = "n={0} ranks={1} batch={2} dropLast={3}")
    @CsvSource({"23,2,3,false", "23,4,2,false", "24,4,3,false", "23,3,2,true", "5,4,2,false", "40,4,3,true"})
    void ranksTogetherSeeTheGlobalBatches(int n, int size, int batch, boolean dropLast) {
        int[] global = new int[n];
        for (int i = 0; i < n; i++) global[i] = i;
        Generator g = new Generator(n);
        for (int i = n - 1; i > 0; i--) { int j = g.nextInt(i + 1); int t = global[i]; global[i] = global[j]; global[j] = t; }
        List<int[]> local = new ArrayList<>();
        for (int r = 0; r < size; r++) local.add(new Shard(r, size).local(global, batch, dropLast));
        int steps = new Shard(0, size).batches(n, batch, dropLast);
        for (int[] l : local) assertEquals(local.getFirst().length, l.length, "every rank has as many samples");
        // The padded (or truncated) global order, cut in global batches of batch × size.
        int m = dropLast ? n / (batch * size) * batch * size : (n + size - 1) / size * size;
        int[] padded = new int[m];
        for (int i = 0; i < m; i++) padded[i] = global[i % n];
        int pos = 0;
        for (int s = 0; s < steps; s++) {
            int gb = Math.min(batch * size, m - pos), part = gb / size;
            List<Integer> joined = new ArrayList<>();
            for (int[] l : local)
                for (int i = 0; i < part; i++) joined.add(l[s * batch + i]);
            int[] want = Arrays.copyOfRange(padded, pos, pos + gb);
            assertArrayEquals(want, joined.stream().mapToInt(Integer::intValue).toArray(), "global batch " + s);
            pos += gb;
        }
        assertEquals(m, pos, "every sample of the padded order is visited once");
    }

    /**
     * t_total of the fine-tuning recipes (batches per epoch on each rank × epochs) on 1 to 8 processes is the
     * original's: {@code len(DataLoader(DistributedSampler(ds), batch_size = B / world)) × epochs} (spec 4.1), where
     * the sampler pads each rank to ⌈n / world⌉ samples and the loader keeps its last partial batch. The first two rows
     * are spec 4.2's and 4.3's examples (Flickr30K: 145,000 captions, 64 per step, 20 epochs; VCR: 212,923 questions,
     * 32 per task, 5 epochs), the others small tails.
     */
    @ParameterizedTest(name = "n={0} global batch={1} epochs={2}")
    @CsvSource({"145000,64,20,45320", "212923,32,5,33270", "80,4,2,40", "23,12,1,2", "27,12,3,9", "5,8,1,1"})
    void tTotalIsTheOriginalsOnAnyNumberOfProcesses(int n, int global, int epochs, long tTotal) {
        for (int world : new int[]{1, 2, 4, 8}) {
            if (global % world != 0) continue;
            int per = global / world;
            long perRank = (n + world - 1) / world;
            long original = (perRank + per - 1) / per * epochs;
            assertEquals(original, (long) new Shard(world - 1, world).batches(n, per, false) * epochs, "world " + world + " against the formula");
            assertEquals(tTotal, (long) new Shard(world - 1, world).batches(n, per, false) * epochs, "world " + world);
        }
    }
}
