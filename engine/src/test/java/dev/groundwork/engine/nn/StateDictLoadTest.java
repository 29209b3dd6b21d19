package dev.groundwork.engine.nn;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class StateDictLoadTest {

    /** Independent copies, so loading cannot alias the source model. */
    private static LinkedHashMap<String, Tensor> copyOf(Map<String, Tensor> dict) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        dict.forEach((k, v) -> out.put(k, v.detach().copy()));
        return out;
    }

    @Test
    void roundTripCopiesInPlace() {
        TinyBert a = new TinyBert(2, new Generator(10));
        TinyBert b = new TinyBert(2, new Generator(11));
        Tensor q = b.get("encoder.layer.1.attention.self.query.weight");
        assertFalse(java.util.Arrays.equals(q.toFloatArray(), a.get("encoder.layer.1.attention.self.query.weight").toFloatArray()));

        LoadResult r = b.loadStateDict(copyOf(a.stateDict()), true);

        assertTrue(r.isClean());
        assertSame(q, b.get("encoder.layer.1.attention.self.query.weight"), "tensors are written in place, not replaced");
        a.stateDict().forEach((k, v) -> assertArrayEquals(v.toFloatArray(), b.stateDict().get(k).toFloatArray(), k));
    }

    @Test
    void loadConvertsDtype() {
        Linear a = new Linear(3, 2, new Generator(1));
        Linear b = new Linear(3, 2, new Generator(2));
        Map<String, Tensor> f64 = new LinkedHashMap<>();
        a.stateDict().forEach((k, v) -> f64.put(k, v.detach().to(DType.F64)));
        b.loadStateDict(f64, true);
        assertEquals(DType.F32, b.weight().dtype());
        assertArrayEquals(a.weight().toFloatArray(), b.weight().toFloatArray());
    }

    /** A dict with one key dropped, one foreign key and one wrong shape. */
    private static LinkedHashMap<String, Tensor> brokenDict(Module source) {
        LinkedHashMap<String, Tensor> d = copyOf(source.stateDict());
        d.remove("pooler.dense.bias");
        d.put("cls.predictions.bias", Tensor.zeros(TinyBert.VOCAB));
        d.put("encoder.layer.0.intermediate.dense.weight", Tensor.zeros(TinyBert.HIDDEN, TinyBert.INTERMEDIATE));
        return d;
    }

    @Test
    void strictLoadReportsEverythingAtOnceAndLoadsNothing() {
        TinyBert a = new TinyBert(1, new Generator(20));
        TinyBert b = new TinyBert(1, new Generator(21));
        float[] before = b.get("encoder.layer.0.attention.self.query.weight").toFloatArray();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(brokenDict(a), true));

        String msg = e.getMessage();
        assertTrue(msg.contains("missing keys (1): [pooler.dense.bias]"), msg);
        assertTrue(msg.contains("unexpected keys (1): [cls.predictions.bias]"), msg);
        assertTrue(msg.contains("encoder.layer.0.intermediate.dense.weight: module [12, 8], given [8, 12]"), msg);
        assertArrayEquals(before, b.get("encoder.layer.0.attention.self.query.weight").toFloatArray(), "nothing loaded");
    }

    @Test
    void nonStrictLoadReturnsDifferencesAndLoadsTheRest() {
        TinyBert a = new TinyBert(1, new Generator(30));
        TinyBert b = new TinyBert(1, new Generator(31));
        float[] keptBias = b.get("pooler.dense.bias").toFloatArray();
        float[] keptMismatch = b.get("encoder.layer.0.intermediate.dense.weight").toFloatArray();

        LoadResult r = b.loadStateDict(brokenDict(a), false);

        assertEquals(List.of("pooler.dense.bias"), r.missing());
        assertEquals(List.of("cls.predictions.bias"), r.unexpected());
        assertEquals(List.of("encoder.layer.0.intermediate.dense.weight"), r.mismatched());
        assertFalse(r.isClean());
        assertArrayEquals(a.get("encoder.layer.0.attention.self.query.weight").toFloatArray(),
                b.get("encoder.layer.0.attention.self.query.weight").toFloatArray());
        assertArrayEquals(keptBias, b.get("pooler.dense.bias").toFloatArray());
        assertArrayEquals(keptMismatch, b.get("encoder.layer.0.intermediate.dense.weight").toFloatArray());
    }

    @Test
    void moveToSameDeviceKeepsTensors() {
        Linear l = new Linear(2, 2, new Generator(3));
        Tensor w = l.weight();
        l.to(Device.CPU);
        assertSame(w, l.weight());
    }
}
