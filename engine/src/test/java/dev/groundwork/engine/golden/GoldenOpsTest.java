package dev.groundwork.engine.golden;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.ops.vgbert.VgBertOps;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/** Every case under $GW_GOLDEN/ops, one test per case and device; an unknown kind fails. */
class GoldenOpsTest {

    static Map<String, Tensor> op(GoldenCase c, Map<String, Tensor> in) {
        var cfg = c.config();
        return switch (c.kind()) {
            case "linear" -> Map.of("y", F.linear(in.get("x"), in.get("weight"), in.get("bias")));
            case "conv2d" -> Map.of("y", F.conv2d(in.get("x"), in.get("weight"), in.get("bias"),
                    cfg.path("stride").asInt(1), cfg.path("padding").asInt(0)));
            case "max_pool2d" -> Map.of("y", F.maxPool2d(in.get("x"), cfg.path("kernel").asInt(), cfg.path("stride").asInt(cfg.path("kernel").asInt())));
            case "layer_norm" -> Map.of("y", F.layerNorm(in.get("x"), in.get("weight"), in.get("bias"), cfg.path("eps").asDouble(1e-5)));
            case "softmax" -> Map.of("y", F.softmax(in.get("x"), cfg.path("dim").asInt(-1)));
            case "gelu" -> Map.of("y", F.gelu(in.get("x")));
            case "tanh" -> Map.of("y", F.tanh(in.get("x")));
            case "relu" -> Map.of("y", F.relu(in.get("x")));
            case "embedding" -> Map.of("y", F.embedding(in.get("ids"), in.get("weight")));
            case "cross_entropy" -> Map.of("loss", F.crossEntropy(in.get("logits"), in.get("target"),
                    cfg.path("ignore_index").asInt(-100), Losses.Reduction.MEAN));
            case "attention" -> Map.of("out", F.attention(in.get("q"), in.get("k"), in.get("v"), in.get("key_mask"),
                    cfg.path("mask_value").asDouble(-10000)));
            case "bilinear_relation" -> Map.of("scores", VgBertOps.bilinearRelation(in.get("objects"), in.get("relations")));
            case "matchmap_contrastive" -> {
                Tensor[] l = VgBertOps.matchmapContrastive(in.get("image"), in.get("language"), in.get("nwords"), cfg.path("sigma").asDouble());
                yield Map.of("loss_i2l", l[0], "loss_l2i", l[1]);
            }
            case "pooled_contrastive" -> {
                Tensor[] l = VgBertOps.pooledContrastive(in.get("image"), in.get("language"), cfg.path("sigma").asDouble());
                yield Map.of("loss_i2l", l[0], "loss_l2i", l[1]);
            }
            default -> fail(c.name() + ": unknown op kind '" + c.kind() + "'");
        };
    }

    /**
     * The devices this class runs the cases on: the CPU, the engine's only backend. CudaGoldenOpsTest
     * (module kernels, where the CUDA backend is on the class path) runs the same cases on CUDA.
     */
    protected List<Device> devices() { return List.of(Device.CPU); }

    @TestFactory
    @DisplayName("golden")
    List<DynamicTest> everyOpCase() throws IOException {
        return GoldenTests.everyCase("ops", devices(), (dir, d) -> {
            GoldenCase c = GoldenCase.load(dir);
            GoldenCheck.run(c, d, GoldenDevices.tolScale(d), in -> op(c, in));
        });
    }
}
