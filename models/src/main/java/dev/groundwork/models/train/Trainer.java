package dev.groundwork.models.train;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.io.Checkpoint;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.optim.Optimizer;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Trains one stage: per epoch, set the lr, one optimizer step per batch, validate, then write
 * {@code best.safetensors} (when the selection metric improved), the metrics line and an atomic
 * {@code checkpoint.safetensors} holding the model, the optimizer, the step, the epoch and every
 * generator's (seed, offset). Resuming restores all of them, so on the CPU the continued run's losses
 * equal the uninterrupted run's bit for bit. Checkpoints are taken at epoch ends only.
 *
 * <p>Modules stay in train mode during training even where frozen (§9.16). Validation runs in eval
 * mode without gradients and draws no random numbers, so it never shifts the training streams.
 */
public final class Trainer<B> {
    public static final String CHECKPOINT = "checkpoint.safetensors", BEST = "best.safetensors", METRICS = "metrics.jsonl";

    /** How the run ended: epochs done, steps, the best epoch (1-based, 0 if none) and its metric, every training step's loss. */
    public record Result(int epochs, long steps, int bestEpoch, double bestMetric, List<Double> stepLosses, Map<String, Double> lastVal) {}

    private final StageTask<B> task;
    private final BatchSource<B> train, val;
    private final TrainerConfig cfg;

    /** @param val validation batches, or null to select on training metrics */
    public Trainer(StageTask<B> task, BatchSource<B> train, BatchSource<B> val, TrainerConfig cfg) {
        this.task = task;
        this.train = train;
        this.val = val;
        this.cfg = cfg;
    }

    public Result fit() throws IOException {
        Module model = task.model();
        Optimizer opt = cfg.optimizer(model.trainableParameters());
        Map<String, Generator> gens = generators();
        Files.createDirectories(cfg.expDir());
        Path ckptFile = cfg.expDir().resolve(CHECKPOINT);
        MetricsLog log = new MetricsLog(cfg.expDir().resolve(METRICS));

        int start = 0, bestEpoch = 0;
        long step = 0;
        double best = Double.NaN;
        if (cfg.resume()) {
            if (!Files.exists(ckptFile)) throw new IOException("--resume: no " + CHECKPOINT + " in " + cfg.expDir());
            Checkpoint c = Checkpoint.load(ckptFile);
            model.loadStateDict(c.model(), true);
            opt.loadStateDict(c.optimizer());
            c.restore(gens);
            start = c.epoch();
            step = c.step();
            best = Double.parseDouble(c.extra().getOrDefault("best_metric", "NaN"));
            bestEpoch = Integer.parseInt(c.extra().getOrDefault("best_epoch", "0"));
            log.truncateAfter(start);
        } else if (Files.exists(ckptFile)) {
            throw new IOException(cfg.expDir() + " already holds " + CHECKPOINT + ": pass --resume to continue it, or choose another --exp-dir");
        }

        Progress progress = new Progress(cfg.progress(), cfg.label());
        List<Double> losses = new ArrayList<>();
        Map<String, Double> lastVal = Map.of();
        long t0 = System.nanoTime();
        for (int e = start; e < cfg.epochs(); e++) {
            cfg.schedule().apply(opt, e);
            model.train();
            EpochMeter meter = new EpochMeter();
            progress.startEpoch();
            int i = 0;
            for (B batch : train.epoch(e)) {
                // Every tensor the step creates (activations, graph, temporaries) is released when
                // the step ends, so device memory never waits for the GC; grads and optimizer state
                // leave the scope by design (TensorScope).
                try (TensorScope scope = TensorScope.open()) {
                    StepOutput out = task.step(batch);
                    double loss = out.loss().item();
                    out.loss().backward();
                    opt.step();
                    opt.zeroGrad();
                    step++;
                    i++;
                    losses.add(loss);
                    meter.add(loss, out);
                    if (!Double.isFinite(meter.meanLoss())) throw new TrainingDivergedException(e + 1, step, meter.meanLoss());
                    progress.update(e + 1, cfg.epochs(), i, train.batchesPerEpoch(), step, meter.meanLoss(), out.size());
                }
            }
            Map<String, Double> trainSummary = meter.summary();
            Map<String, Double> valSummary = val == null ? trainSummary : validate();
            lastVal = valSummary;
            double metric = valSummary.getOrDefault(task.selection().metric(), Double.NaN);
            boolean improved = task.selection().better(metric, best);
            if (improved) {
                best = metric;
                bestEpoch = e + 1;
                new Checkpoint(model.stateDict(), Map.of(), step, e + 1, Checkpoint.states(gens), extra(best, bestEpoch)).save(cfg.expDir().resolve(BEST));
            }
            log.append(record(e + 1, step, opt.lr(0), trainSummary, val == null ? null : valSummary, bestEpoch, best, (System.nanoTime() - t0) / 1e9));
            Map<String, Tensor> optState = opt.stateDict();
            new Checkpoint(model.stateDict(), optState, step, e + 1, Checkpoint.states(gens), extra(best, bestEpoch)).save(ckptFile);
            optState.values().forEach(Tensor::close);
            progress.line(String.format("%s epoch %d/%d  train loss %.4f  val %s %.4f  best %.4f (epoch %d)", cfg.label(), e + 1, cfg.epochs(),
                    trainSummary.get("loss"), task.selection().metric(), metric, best, bestEpoch));
        }
        return new Result(cfg.epochs(), step, bestEpoch, best, losses, lastVal);
    }

    /** Validation pass: eval mode (dropout off), no gradients; back to train mode afterwards. */
    private Map<String, Double> validate() {
        Module model = task.model();
        model.eval();
        EpochMeter meter = new EpochMeter();
        try (var s = GradMode.noGrad()) {
            for (B batch : val.epoch(0)) {
                try (TensorScope scope = TensorScope.open()) {
                    StepOutput out = task.step(batch);
                    meter.add(out.loss().item(), out);
                }
            }
        } finally {
            model.train();
        }
        return meter.summary();
    }

    /** Model generators under "model.*", data generators under "data.*". */
    private Map<String, Generator> generators() {
        Map<String, Generator> g = new TreeMap<>();
        task.generators().forEach((k, v) -> g.put("model." + k, v));
        train.generators().forEach((k, v) -> g.put("data." + k, v));
        return g;
    }

    private static Map<String, String> extra(double best, int bestEpoch) {
        return Map.of("best_metric", Double.toString(best), "best_epoch", Integer.toString(bestEpoch));
    }

    private static Map<String, Object> record(int epoch, long step, double lr, Map<String, Double> train, Map<String, Double> val,
                                              int bestEpoch, double best, double elapsed) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("epoch", epoch);
        r.put("step", step);
        r.put("lr", lr);
        r.put("train", finite(train));
        if (val != null) r.put("val", finite(val));
        r.put("best_epoch", bestEpoch);
        r.put("best_metric", Double.isFinite(best) ? best : null);
        r.put("elapsed_s", elapsed);
        return r;
    }

    /** JSON has no NaN: non-finite numbers are written as null. */
    private static Map<String, Object> finite(Map<String, Double> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, Double.isFinite(v) ? v : null));
        return out;
    }
}
