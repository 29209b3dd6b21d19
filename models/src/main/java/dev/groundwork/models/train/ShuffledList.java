package dev.groundwork.models.train;

import dev.groundwork.engine.random.Generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fixed in-memory batches visited in a fresh random order every epoch, drawn from one stateful
 * generator: the simplest source whose order depends on generator state, which is what the resume
 * test needs to prove that data-order state is checkpointed. {@code shuffle=false} keeps list order.
 */
public final class ShuffledList<B> implements BatchSource<B> {
    private final List<B> batches;
    private final Generator order;
    private final boolean shuffle;

    public ShuffledList(List<B> batches, Generator order, boolean shuffle) {
        this.batches = List.copyOf(batches);
        this.order = order;
        this.shuffle = shuffle;
    }

    @Override
    public int batchesPerEpoch() { return batches.size(); }

    @Override
    public Iterable<B> epoch(int epoch) {
        List<B> out = new ArrayList<>(batches);
        if (shuffle)
            for (int i = out.size() - 1; i > 0; i--) {
                int j = order.nextInt(i + 1);
                B t = out.get(i); out.set(i, out.get(j)); out.set(j, t);
            }
        return out;
    }

    @Override
    public Map<String, Generator> generators() { return shuffle ? Map.of("order", order) : Map.of(); }
}
