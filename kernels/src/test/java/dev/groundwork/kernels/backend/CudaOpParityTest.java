package dev.groundwork.kernels.backend;

import dev.groundwork.engine.backend.Backends;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.testing.OpCase;
import dev.groundwork.engine.testing.OpCases;
import dev.groundwork.kernels.CudaTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every row of the engine's op table (OpCases) on the CUDA backend against the CPU backend, one test
 * per row: each output, then, through a random probe of every floating output, the gradient of every
 * input the row differentiates. Float32 inputs, fresh and seeded per row; fused kernels on CUDA meet
 * the composed reference on the CPU. TF32 is off here so the fp32 tolerances of the table apply.
 * Without a device every row is reported as skipped under its own name, with the reason.
 */
class CudaOpParityTest {
    private static CudaBackend be;
    private static boolean tf32Before;

    @BeforeAll
    static void open() {
        if (Backends.availability(Device.Type.CUDA).available()) {
            be = (CudaBackend) Backends.of(CudaTestSupport.CUDA);
            tf32Before = be.tf32();
            be.setTf32(false);
        }
    }

    @AfterAll
    static void restore() {
        if (be != null) be.setTf32(tf32Before);
    }

    @TestFactory
    @DisplayName("cuda:0 matches cpu on")
    Stream<DynamicTest> cudaMatchesCpu() {
        return OpCases.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
    }

    private static void run(OpCase c) {
        CudaTestSupport.requireCuda();
        Tensor[] cpu = c.draw(DType.F32), gpu = new Tensor[cpu.length];
        for (int i = 0; i < cpu.length; i++) {
            gpu[i] = cpu[i].to(CudaTestSupport.CUDA);
            boolean grad = c.inputs().get(i).grad();
            cpu[i].requiresGrad(grad);
            gpu[i].requiresGrad(grad);
        }
        List<Tensor> yc = c.op().apply(cpu), yg = c.op().apply(gpu);
        assertEquals(yc.size(), yg.size(), c.name() + ": number of outputs");
        double tol = Math.max(c.parityTol(), 1e-7);
        Tensor lossC = null, lossG = null;
        Generator probes = new Generator(c.name().hashCode() + 1);
        for (int o = 0; o < yc.size(); o++) {
            String what = c.name() + " output " + o;
            assertEquals(CudaTestSupport.CUDA, yg.get(o).device(), what + " left the GPU");
            CudaTestSupport.assertClose(what, yg.get(o), yc.get(o), tol);
            if (!yc.get(o).requiresGrad()) continue;
            Tensor probe = probes.normal(DType.F32, Device.CPU, 0, 1, yc.get(o).shape());
            Tensor tc = yc.get(o).mul(probe).sum(), tg = yg.get(o).mul(probe.to(CudaTestSupport.CUDA)).sum();
            lossC = lossC == null ? tc : lossC.add(tc);
            lossG = lossG == null ? tg : lossG.add(tg);
        }
        if (lossC == null) return;
        lossC.backward();
        lossG.backward();
        for (int i = 0; i < cpu.length; i++) {
            if (cpu[i].grad() == null) continue;
            assertNotNull(gpu[i].grad(), c.name() + ": input " + i + " has no CUDA gradient");
            CudaTestSupport.assertClose(c.name() + " grad of input " + i, gpu[i].grad(), cpu[i].grad(), Math.max(tol, 1e-6));
        }
    }
}
