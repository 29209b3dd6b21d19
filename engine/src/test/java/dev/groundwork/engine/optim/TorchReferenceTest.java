package dev.groundwork.engine.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Compares float32 trajectories with torch's (1.13, foreach=False) recorded by
 * src/test/resources/optim/torch_trajectories.py; Python is not needed to run this test.
 * The problem: gradient a * (w - c), 10 steps per optimizer configuration.
 */
class TorchReferenceTest {
    /**
     * Float rounding differs slightly (torch fuses some multiply-adds), by about one ulp of the O(1)
     * operands; so the bound is 1e-6 relative for weights of magnitude >= SCALE and 1e-7 absolute
     * for weights that have cancelled to near zero. Any formula error is orders of magnitude larger.
     */
    private static final double REL = 1e-6;
    private static final double SCALE = 0.1;

    private static float[] floats(JsonNode n) {
        float[] a = new float[n.size()];
        for (int i = 0; i < a.length; i++) a[i] = (float) n.get(i).asDouble();
        return a;
    }

    private static Optimizer make(JsonNode c, Tensor w) {
        JsonNode o = c.get("options");
        List<ParamGroup> g = List.of(ParamGroup.of(w));
        double lr = o.get("lr").asDouble(), wd = o.path("weight_decay").asDouble(0);
        return switch (c.get("optimizer").asText()) {
            case "sgd" -> new Sgd(g, new Sgd.Options(lr, o.path("momentum").asDouble(0), o.path("dampening").asDouble(0),
                    o.path("nesterov").asBoolean(false), wd));
            case "adam" -> new Adam(g, new Adam.Options(lr, o.get("beta1").asDouble(), o.get("beta2").asDouble(), o.get("eps").asDouble(), wd));
            case "adamw" -> new AdamW(g, new Adam.Options(lr, o.get("beta1").asDouble(), o.get("beta2").asDouble(), o.get("eps").asDouble(), wd));
            default -> throw new IllegalArgumentException(c.get("optimizer").asText());
        };
    }

    @Test
    void matchesTorch() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/optim/torch_trajectories.json")) {
            assertNotNull(in, "torch_trajectories.json on the test classpath");
            root = new ObjectMapper().readTree(in);
        }
        int[] shape = {root.get("shape").get(0).asInt(), root.get("shape").get(1).asInt()};
        Tensor a = Tensor.of(floats(root.get("a")), shape), c = Tensor.of(floats(root.get("c")), shape);
        for (JsonNode cs : root.get("cases")) {
            String name = cs.get("name").asText();
            Tensor w = Tensor.of(floats(root.get("w0")), shape).requiresGrad(true);
            Optimizer opt = make(cs, w);
            JsonNode traj = cs.get("trajectory");
            double worstRel = 0, worstAbs = 0;
            for (int t = 0; t < traj.size(); t++) {
                try (var s = GradMode.noGrad()) {
                    w.setGrad(a.mul(w.sub(c)));
                }
                opt.step();
                float[] got = w.toFloatArray(), want = floats(traj.get(t));
                for (int i = 0; i < got.length; i++) {
                    double diff = Math.abs(got[i] - want[i]);
                    worstAbs = Math.max(worstAbs, diff);
                    worstRel = Math.max(worstRel, diff / Math.abs(want[i]));
                    assertTrue(diff <= REL * Math.max(Math.abs(want[i]), SCALE),
                            name + " step " + (t + 1) + " element " + i + ": torch " + want[i] + ", ours " + got[i]);
                }
            }
            System.out.printf("TorchReferenceTest %-14s worst relative %.2e, worst absolute %.2e%n", name, worstRel, worstAbs);
        }
    }
}
