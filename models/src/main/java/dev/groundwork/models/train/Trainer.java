package dev.groundwork.models.train;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.io.AtomicFiles;
import dev.groundwork.engine.io.Checkpoint;
import dev.groundwork.engine.io.NonFiniteTensorException;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.optim.Ema;
import dev.groundwork.engine.optim.Optimizer;
import dev.groundwork.engine.optim.ParamGroup;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Trains one stage: per epoch, one optimizer step per batch (the lr set per epoch or per step, see
 * {@link Schedule}), validate, then write {@code best.safetensors} (when the selection metric
 * improved), the epoch record of {@code metrics.jsonl} and an atomic {@code checkpoint.safetensors}
 * holding the model, the optimizer, the step, the epoch and every generator's (seed, offset). Resuming
 * restores all of them, so on the CPU the continued run's losses equal the uninterrupted run's bit for
 * bit. With {@link TrainerConfig#logEverySteps()} a step record is appended every N steps as well.
 *
 * <p><b>Step limit.</b> With {@link TrainerConfig#maxSteps()} the run stops once that many optimizer
 * steps have been made in total (steps before a resume count). A limit reached at the end of an epoch
 * ends that epoch as usual. A limit reached in the middle of an epoch writes, without validating:
 * a {@code "partial"} record (the epoch, the step, the batches done of the epoch, the training summary
 * so far) and a checkpoint of the position (epochs done, steps, the batches done of the current
 * epoch and its running sums, the model's generators as they are and the data's as they were when the
 * epoch began); {@code best.safetensors} is left as it was. A run resumed from there drops the partial
 * record, draws the epoch's data order again, skips (reads and discards) the batches already trained,
 * and continues with the next one: its weights, losses and records equal those of a run that was never
 * stopped. Resuming with a limit already reached does nothing.
 *
 * <p><b>Weight averaging.</b> With {@link TrainerConfig#emaDecay()} an {@link Ema} of the trainable weights
 * (starting as the weights the run begins with) is updated after every optimizer step, swapped in for
 * validation, written beside the raw weights as {@code best_ema.safetensors} when the metric improves,
 * and kept in the checkpoint under {@code optimizer.ema.*}, so a resumed run continues the same average.
 *
 * <p>Modules stay in train mode during training even where frozen (§9.16). Validation runs in eval
 * mode without gradients and draws no random numbers, so it never shifts the training streams.
 */
public final class Trainer<B> {
    public static final String CHECKPOINT = "checkpoint.safetensors", BEST = "best.safetensors", BEST_EMA = "best_ema.safetensors",
            METRICS = "metrics.jsonl";
    /** The EMA's entries in the checkpoint's optimizer part. */
    static final String EMA = "ema.";
    /** Checkpoint extras: the best so far, and the position inside an epoch a step limit stopped. */
    static final String BEST_METRIC = "best_metric", BEST_EPOCH = "best_epoch", EPOCH_BATCHES = "epoch_batches",
            EPOCH_METER = "epoch_meter", STEP_LOG = "step_log";

    /**
     * How the run ended: full epochs done, steps, the best epoch (1-based, 0 if none) and its metric,
     * the loss of every training step this call made, the last validation summary.
     */
    public record Result(int epochs, long steps, int bestEpoch, double bestMetric, List<Double> stepLosses, Map<String, Double> lastVal,
                         String stoppedBy) {
        /** Whether the run stopped early at a request ({@link StopRequest}: a signal), rather than finishing or reaching maxSteps. */
        public boolean interrupted() { return stoppedBy != null; }
    }

    /** Settings that may change when a run is resumed: they steer how far and how it runs, not what it computes. */
    static final Set<String> RESUMABLE_CHANGES = Set.of("epochs", "maxSteps", "logEverySteps", "saveEverySteps", "workers", "device");
    static final String SETTING = "setting.";

    private final StageTask<B> task;
    private final BatchSource<B> train, val;
    private final TrainerConfig cfg;
    private Ema ema;

    /** @param val validation batches, or null to select on training metrics */
    public Trainer(StageTask<B> task, BatchSource<B> train, BatchSource<B> val, TrainerConfig cfg) {
        this.task = task;
        this.train = train;
        this.val = val;
        this.cfg = cfg;
    }

    public Result fit() throws IOException {
        try {
            return run();
        } finally {
            cfg.stop().acknowledge();
        }
    }

    private Result run() throws IOException {
        Module model = task.model();
        List<ParamGroup> groups = task.paramGroups();
        Optimizer opt = cfg.optimizer().create(groups);
        List<Tensor> params = groups.stream().flatMap(g -> g.params().stream()).toList();
        DataParallel dp = cfg.parallel();
        boolean writer = dp.writer();
        ema = cfg.emaDecay() > 0 ? new Ema(model.trainableParameters(), cfg.emaDecay()) : null;
        Map<String, Generator> modelGens = prefixed("model.", task.generators()), dataGens = prefixed("data.", train.generators());
        Map<String, Generator> gens = new TreeMap<>(modelGens);
        gens.putAll(dataGens);
        Files.createDirectories(cfg.expDir());
        Path ckptFile = cfg.expDir().resolve(CHECKPOINT), bestFile = cfg.expDir().resolve(BEST);
        MetricsLog log = new MetricsLog(cfg.expDir().resolve(METRICS));
        // Data-parallel: rank 0 alone writes files and progress; every rank reads a resumed checkpoint.
        Progress progress = new Progress(writer ? cfg.progress() : null, cfg.label());
        // A run killed while writing leaves a temp file beside the checkpoint: the next start removes it.
        int stale = writer ? AtomicFiles.removeStaleTemps(ckptFile) + AtomicFiles.removeStaleTemps(bestFile) : 0;
        if (stale > 0) progress.line(cfg.label() + ": removed " + stale + " temp file(s) a killed run left in " + cfg.expDir());
        StepLog stepLog = new StepLog(cfg.logEverySteps());

        int start = 0, bestEpoch = 0, skip = 0;
        long step = 0;
        double best = Double.NaN;
        EpochMeter resumedMeter = null;
        if (cfg.resume()) {
            InvalidSettingException.check(Files.exists(ckptFile), "resume", "needs a " + CHECKPOINT + " in " + cfg.expDir() + ", found none");
            Checkpoint c = Checkpoint.load(ckptFile);
            compareSettings(c.extra(), settings(), progress);
            model.loadStateDict(c.model(), true);
            Map<String, Tensor> optState = new TreeMap<>(c.optimizer()), emaState = new TreeMap<>();
            for (String k : c.optimizer().keySet()) if (k.startsWith(EMA)) emaState.put(k.substring(EMA.length()), optState.remove(k));
            opt.loadStateDict(optState);
            if (ema != null) ema.loadStateDict(emaState);
            c.restore(gens);
            start = c.epoch();
            step = c.step();
            best = Double.parseDouble(c.extra().getOrDefault(BEST_METRIC, "NaN"));
            bestEpoch = Integer.parseInt(c.extra().getOrDefault(BEST_EPOCH, "0"));
            skip = Integer.parseInt(c.extra().getOrDefault(EPOCH_BATCHES, "0"));
            if (skip > 0) resumedMeter = EpochMeter.restore(c.extra().get(EPOCH_METER));
            if (c.extra().containsKey(STEP_LOG)) stepLog.restore(c.extra().get(STEP_LOG));
            // Records past the checkpoint go only when training continues: a resume with nothing
            // left to do keeps the log, partial record included, as the stopped run wrote it.
            if (writer && start < cfg.epochs() && !limitReached(step)) log.truncate(start, step);
        } else {
            InvalidSettingException.check(!Files.exists(ckptFile), "resume",
                    "is off but " + cfg.expDir() + " already holds " + CHECKPOINT + ": resume that run, or choose another experiment folder");
            // No checkpoint but a log or a best file: a run killed before its first checkpoint. Its
            // records would be doubled by this one, so the fresh start begins from nothing.
            boolean leftovers = Files.exists(log.file()) || Files.exists(bestFile);
            if (writer) {
                log.truncate(0, 0);
                Files.deleteIfExists(bestFile);
                Files.deleteIfExists(cfg.expDir().resolve(BEST_EMA));
            }
            if (leftovers) progress.line(cfg.label() + ": starting fresh; removed the metrics and best weights of a run that never wrote its first checkpoint");
        }
        // Every rank starts from rank 0's weights, with its own dropout streams; none goes on before all
        // have checked the experiment folder (rank 0 writes into it next).
        dp.sameStart(model);
        dp.deriveGenerators(modelGens);
        dp.comm().barrier();
        if (dp.distributed()) progress.line(cfg.label() + ": data-parallel over " + dp.comm().describe());

        List<Double> losses = new ArrayList<>();
        Map<String, Double> lastVal = Map.of();
        long total = (long) cfg.epochs() * train.batchesPerEpoch();
        progress.startRun(step, cfg.maxSteps() > 0 ? Math.min(cfg.maxSteps(), total) : total);
        long t0 = System.nanoTime();
        int done = start;
        for (int e = start; e < cfg.epochs() && !limitReached(step); e++) {
            Map<String, long[]> dataAtEpochStart = Checkpoint.states(dataGens);
            cfg.schedule().beforeEpoch(opt, e);
            model.train();
            EpochMeter meter = resumedMeter != null ? resumedMeter : new EpochMeter();
            resumedMeter = null;
            progress.startEpoch();
            Iterator<B> batches = train.epoch(e).iterator();
            int i = skip(batches, skip), lastSaved = i;
            skip = 0;
            while (batches.hasNext()) {
                boolean requested = dp.anyRequested(cfg.stop().requested());
                String reason = cfg.stop().requested() ? cfg.stop().reason() : "a stop request on another rank";
                if (limitReached(step) || requested) {
                    if (writer) log.append(Records.partial(e + 1, step, i, train.batchesPerEpoch(), opt.lr(0), meter.summary(), bestEpoch, best, seconds(t0)));
                    saveMidEpoch(model, opt, step, e, i, meter, modelGens, dataAtEpochStart, best, bestEpoch, stepLog, ckptFile);
                    String why = requested ? reason : "the step limit";
                    progress.line(String.format("%s stopped at step %d (%s), epoch %d after %d of %d batches; %s resumes here",
                            cfg.label(), step, why, e + 1, i, train.batchesPerEpoch(), CHECKPOINT));
                    return new Result(done, step, bestEpoch, best, losses, lastVal, requested ? reason : null);
                }
                if (cfg.saveEverySteps() > 0 && i > lastSaved && step % cfg.saveEverySteps() == 0) {
                    saveMidEpoch(model, opt, step, e, i, meter, modelGens, dataAtEpochStart, best, bestEpoch, stepLog, ckptFile);
                    lastSaved = i;
                }
                B batch = batches.next();
                // Every tensor the step creates (activations, graph, temporaries) is released when
                // the step ends, so device memory never waits for the GC; grads and optimizer state
                // leave the scope by design (TensorScope).
                try (TensorScope scope = TensorScope.open()) {
                    cfg.schedule().beforeStep(opt, step);
                    StepOutput local = task.step(batch);
                    double localLoss = local.loss().item();
                    dp.backward(local.loss(), params);   // gradients averaged over ranks, during the pass when overlapping
                    double[] globalLoss = new double[1];
                    StepOutput out = dp.global(localLoss, local, globalLoss);
                    double loss = globalLoss[0];
                    opt.step();
                    opt.zeroGrad();
                    if (ema != null) ema.update();
                    if (dp.checksReplicas()) dp.verifyReplicas(step + 1, model.stateDict().values(), ema == null ? List.of() : ema.shadow());
                    step++;
                    i++;
                    losses.add(loss);
                    meter.add(loss, out);
                    if (!Double.isFinite(meter.meanLoss())) throw new TrainingDivergedException(e + 1, step, meter.meanLoss());
                    progress.update(e + 1, cfg.epochs(), i, train.batchesPerEpoch(), step, meter.meanLoss(), out.size());
                    Map<String, Object> record = stepLog.add(step, e + 1, loss, out.size(), opt.lr(0));
                    if (record != null) {
                        if (writer) log.append(record);
                        progress.line(StepLog.line(cfg.label(), record));
                    }
                }
            }
            Map<String, Double> trainSummary = meter.summary();
            Map<String, Double> valSummary = val == null ? trainSummary : validate();
            lastVal = valSummary;
            double metric = valSummary.getOrDefault(task.selection().metric(), Double.NaN);
            if (task.selection().better(metric, best)) {
                best = metric;
                bestEpoch = e + 1;
                write(new Checkpoint(model.stateDict(), Map.of(), step, e + 1, Checkpoint.states(gens), extra(best, bestEpoch, null)), bestFile, step);
                if (ema != null) {
                    ema.swap();
                    try {
                        write(new Checkpoint(model.stateDict(), Map.of(), step, e + 1, Checkpoint.states(gens), extra(best, bestEpoch, null)),
                                cfg.expDir().resolve(BEST_EMA), step);
                    } finally {
                        ema.swap();
                    }
                }
            }
            if (writer) log.append(Records.epoch(e + 1, step, opt.lr(0), trainSummary, val == null ? null : valSummary, bestEpoch, best, seconds(t0)));
            save(model, opt, step, e + 1, Checkpoint.states(gens), extra(best, bestEpoch, stepLog), ckptFile);
            done = e + 1;
            // Without validation data the selection metric is the training one: the line says so.
            progress.line(String.format("%s epoch %d/%d  train loss %.4f  %s %s %.4f  best %.4f (epoch %d)", cfg.label(), e + 1, cfg.epochs(),
                    trainSummary.get("loss"), val == null ? "train" : "val", task.selection().metric(), metric, best, bestEpoch));
        }
        return new Result(done, step, bestEpoch, best, losses, lastVal, null);
    }

    /**
     * A checkpoint of a position inside epoch {@code e} after {@code i} batches: the data generators as
     * they were when the epoch began, so a resumed run draws this epoch's order again and skips the i
     * batches already trained; the epoch's running sums and the step window, so its records come out
     * as an uninterrupted run's.
     */
    private void saveMidEpoch(Module model, Optimizer opt, long step, int e, int i, EpochMeter meter, Map<String, Generator> modelGens,
                              Map<String, long[]> dataAtEpochStart, double best, int bestEpoch, StepLog stepLog, Path ckptFile) throws IOException {
        Map<String, long[]> rng = Checkpoint.states(modelGens);
        rng.putAll(dataAtEpochStart);
        Map<String, String> extra = extra(best, bestEpoch, stepLog);
        extra.put(EPOCH_BATCHES, Integer.toString(i));
        extra.put(EPOCH_METER, meter.state());
        save(model, opt, step, e, rng, extra, ckptFile);
    }

    private static double seconds(long t0) { return (System.nanoTime() - t0) / 1e9; }

    private boolean limitReached(long step) { return cfg.maxSteps() > 0 && step >= cfg.maxSteps(); }

    /** Reads and drops the first {@code n} batches (a resumed epoch's trained ones); returns how many there were. */
    private static <B> int skip(Iterator<B> batches, int n) {
        int i = 0;
        for (; i < n && batches.hasNext(); i++) {
            try (TensorScope scope = TensorScope.open()) {
                batches.next();
            }
        }
        return i;
    }

    /** Validation pass: eval mode (dropout off), no gradients, the EMA weights if any; back to train mode and the raw weights afterwards. */
    private Map<String, Double> validate() {
        Module model = task.model();
        model.eval();
        if (ema != null) ema.swap();
        EpochMeter meter = new EpochMeter();
        SetMetrics<B> whole = task.validationSet();
        try (var s = GradMode.noGrad()) {
            for (B batch : val.epoch(0)) {
                try (TensorScope scope = TensorScope.open()) {
                    StepOutput out = task.step(batch);
                    meter.add(out.loss().item(), out);
                    if (whole != null) whole.add(batch);
                }
            }
            Map<String, Double> summary = meter.summary();
            if (whole != null)
                try (TensorScope scope = TensorScope.open()) {
                    summary.putAll(whole.summary());
                }
            return summary;
        } finally {
            if (ema != null) ema.swap();
            model.train();
        }
    }

    private void save(Module model, Optimizer opt, long step, int epochsDone, Map<String, long[]> rng, Map<String, String> extra, Path file)
            throws IOException {
        Map<String, Tensor> optState = new TreeMap<>(opt.stateDict());
        if (ema != null) ema.stateDict().forEach((k, v) -> optState.put(EMA + k, v));
        settings().forEach((k, v) -> extra.put(SETTING + k, v));
        try {
            write(new Checkpoint(model.stateDict(), optState, step, epochsDone, rng, extra), file, step);
        } finally {
            optState.values().forEach(Tensor::close);
        }
    }

    /**
     * Writes a checkpoint, or stops the run when a parameter or optimizer state is NaN or infinite:
     * nothing is written, so the last good checkpoint and best weights stay as they were.
     */
    private void write(Checkpoint c, Path file, long step) throws IOException {
        if (!cfg.parallel().writer()) return;
        try {
            c.save(file);
        } catch (NonFiniteTensorException e) {
            Path last = cfg.expDir().resolve(CHECKPOINT);
            throw new TrainingDivergedException("training diverged by step " + step + ": " + e.getMessage() + "; nothing was written, "
                    + (Files.exists(last) ? "the last good " + CHECKPOINT + " in " + cfg.expDir() + " is kept" : "and no checkpoint had been written yet"));
        }
    }

    /** The recipe's settings and the loop's own, as kept in checkpoints. */
    private Map<String, String> settings() {
        Map<String, String> m = new TreeMap<>(cfg.settings());
        m.put("epochs", Integer.toString(cfg.epochs()));
        m.put("maxSteps", Long.toString(cfg.maxSteps()));
        m.put("logEverySteps", Integer.toString(cfg.logEverySteps()));
        m.put("saveEverySteps", Integer.toString(cfg.saveEverySteps()));
        if (cfg.emaDecay() > 0) m.put("emaDecay", Double.toString(cfg.emaDecay()));
        return m;
    }

    /**
     * A resumed run keeps what it computes: a setting the checkpoint recorded with another value is
     * refused (all of them in one message) unless it only steers how far or how the run goes
     * ({@link #RESUMABLE_CHANGES}); those are applied, and said. A checkpoint written before settings
     * were recorded compares nothing.
     */
    private void compareSettings(Map<String, String> extra, Map<String, String> now, Progress progress) {
        List<String> refused = new ArrayList<>(), applied = new ArrayList<>();
        for (var e : now.entrySet()) {
            String was = extra.get(SETTING + e.getKey());
            if (was == null || was.equals(e.getValue())) continue;
            (RESUMABLE_CHANGES.contains(e.getKey()) ? applied : refused).add(e.getKey() + " " + e.getValue() + " (the checkpoint has " + was + ")");
        }
        InvalidSettingException.check(refused.isEmpty(), "resume", "would change what the run computes: " + String.join(", ", refused)
                + "; a resumed run keeps its settings (start a new experiment folder to change them)");
        if (!applied.isEmpty()) progress.line(cfg.label() + ": resuming with " + String.join(", ", applied));
    }

    /** Model generators under "model.*", data generators under "data.*". */
    private static Map<String, Generator> prefixed(String prefix, Map<String, Generator> gens) {
        Map<String, Generator> g = new TreeMap<>();
        gens.forEach((k, v) -> g.put(prefix + k, v));
        return g;
    }

    private Map<String, String> extra(double best, int bestEpoch, StepLog stepLog) {
        Map<String, String> m = new TreeMap<>();
        m.put(TrainedTask.KEY, cfg.label());
        m.put(BEST_METRIC, Double.toString(best));
        m.put(BEST_EPOCH, Integer.toString(bestEpoch));
        if (stepLog != null) m.put(STEP_LOG, stepLog.state());
        return m;
    }
}
