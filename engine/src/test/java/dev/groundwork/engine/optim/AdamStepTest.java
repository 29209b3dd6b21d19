package dev.groundwork.engine.optim;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The in-place CPU Adam pass gives exactly the op-by-op result, step after step. */
class AdamStepTest {
    /** The same optimizer forced onto the op-by-op path (the fast path is for Adam itself only). */
    static final class OpByOpAdam extends Adam {
        OpByOpAdam(List<Tensor> ps, Options o) { super(List.of(ParamGroup.of(ps)), o); }
    }

    @Test
    void fusedCpuStepIsBitIdenticalToTheComposite() {
        Generator gen = new Generator(9);
        Tensor a = Tensor.randn(gen, 3, 1000).requiresGrad(true), b = a.detach().copy().requiresGrad(true);
        Adam.Options o = new Adam.Options(1e-3, 0.95, 0.999, 1e-8, 5e-7);
        Adam fused = new Adam(List.of(ParamGroup.of(List.of(a))), o);
        Adam composite = new OpByOpAdam(List.of(b), o);
        for (int step = 0; step < 6; step++) {
            Tensor g = Tensor.randn(gen, 3, 1000).mul(step % 2 == 0 ? 1 : 1e-3);
            a.setGrad(g.copy());
            b.setGrad(g.copy());
            fused.step();
            composite.step();
            assertArrayEquals(b.toFloatArray(), a.toFloatArray(), "step " + step);
        }
        var sa = fused.stateDict();
        var sb = composite.stateDict();
        for (String k : sb.keySet()) assertArrayEquals(sb.get(k).toFloatArray(), sa.get(k).toFloatArray(), k);
    }
}
