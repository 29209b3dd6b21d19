package dev.groundwork.engine.autograd;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Autograd#onGradReady}: each leaf is reported once, as soon as the last node that feeds it has run
 * (so before the sweep ends), holding its final gradient of the sweep; data-parallel training all-reduces a
 * bucket of gradients from there while the sweep goes on.
 */
class GradReadyHookTest {
    private final Generator gen = new Generator(11);

    /** An identity op that logs when its backward runs. */
    private static Tensor mark(String name, Tensor x, List<String> events) {
        return Autograd.record(name, x.detach().mul(1), new Tensor[]{x}, g -> {
            events.add("ran " + name);
            return new Tensor[]{g.mul(1)};
        });
    }

    @Test void eachLeafIsReportedOnceWithItsFinalGradientAsSoonAsItsLastNodeHasRun() {
        Tensor x = Tensor.randn(gen, 4, 3);
        Tensor w1 = Tensor.randn(gen, 3, 3).requiresGrad(true), w2 = Tensor.randn(gen, 3, 3).requiresGrad(true),
                shared = Tensor.randn(gen, 3).requiresGrad(true);
        List<String> events = new ArrayList<>();
        Map<Tensor, float[]> atReady = new IdentityHashMap<>();
        Map<Tensor, String> names = new IdentityHashMap<>(Map.of(w1, "w1", w2, "w2", shared, "shared"));
        try (TensorScope step = TensorScope.open()) {
            // shared is read by the first and the last layer: its gradient is final only after the first layer's node.
            Tensor h = mark("first", x.matmul(w1).add(shared), events).tanh();
            Tensor out = mark("last", h.matmul(w2).mul(shared), events);
            Tensor loss = out.square().sum();
            try (var hook = Autograd.onGradReady(leaf -> {
                events.add("ready " + names.get(leaf));
                assertFalse(atReady.containsKey(leaf), names.get(leaf) + " reported twice");
                atReady.put(leaf, leaf.grad().toFloatArray());
            })) {
                loss.backward();
            }
        }
        assertEquals(3, atReady.size(), events.toString());
        for (Tensor leaf : List.of(w1, w2, shared))
            assertArrayEquals(leaf.grad().toFloatArray(), atReady.get(leaf), names.get(leaf) + " changed after it was reported ready");
        // w2 is final once the last layer's matmul has run: before the first layer's backward starts.
        assertTrue(events.indexOf("ready w2") < events.indexOf("ran first"), events.toString());
        assertTrue(events.indexOf("ready shared") > events.indexOf("ran first"), events.toString());
        assertTrue(events.indexOf("ready w1") > events.indexOf("ran first"), events.toString());
    }

    @Test void aLeafNoGradientReachesIsStillReportedAndTheScopeRemovesTheHook() {
        Tensor a = Tensor.randn(gen, 5).requiresGrad(true), b = Tensor.randn(gen, 5).requiresGrad(true);
        // An op that passes no gradient to its second input.
        Tensor y = Autograd.record("firstOnly", a.detach().add(b.detach()), new Tensor[]{a, b}, g -> new Tensor[]{g.mul(1), null});
        List<Tensor> ready = new ArrayList<>();
        try (var hook = Autograd.onGradReady(ready::add)) {
            y.sum().backward();
        }
        assertEquals(2, ready.size());
        assertTrue(ready.contains(a) && ready.contains(b));
        assertNull(b.grad());
        a.zeroGrad();
        y = a.mul(2).sum();
        y.backward();
        assertEquals(2, ready.size(), "the hook is gone once its scope closed");
        Tensor leafRoot = Tensor.randn(gen, 1).requiresGrad(true);
        try (var hook = Autograd.onGradReady(ready::add)) {
            leafRoot.backward(Tensor.of(new float[]{1}, 1));
        }
        assertSame(leafRoot, ready.get(2), "a leaf root is reported too");
    }
}
