package dev.groundwork.models.train;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A two-parameter least-squares fit of y = 3x - 1: the smallest task whose loss an optimizer lowers, for loop tests. */
final class LineTask implements StageTask<float[][]> {
    private final Module model = new Module() {{
        registerParameter("w", Tensor.of(new float[]{0.5f}, 1));
        registerParameter("b", Tensor.of(new float[]{0f}, 1));
    }};

    /** {@code n} batches of 4 points each, x drawn from {@code seed}. */
    static List<float[][]> batches(int n, long seed) {
        Generator g = new Generator(seed);
        List<float[][]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[4], y = new float[4];
            for (int j = 0; j < 4; j++) {
                x[j] = (float) (2 * g.nextDouble() - 1);
                y[j] = 3 * x[j] - 1;
            }
            out.add(new float[][]{x, y});
        }
        return out;
    }

    @Override
    public Module model() { return model; }

    @Override
    public StepOutput step(float[][] batch) {
        Tensor x = Tensor.of(batch[0], 4), y = Tensor.of(batch[1], 4);
        Tensor loss = x.mul(model.get("w")).add(model.get("b")).sub(y).square().mean();
        return new StepOutput(loss, Map.of(), Map.of(), 4);
    }

    @Override
    public Selection selection() { return Selection.min("loss"); }

    @Override
    public Map<String, Generator> generators() { return Map.of(); }
}
