package dev.groundwork.tools;

import dev.groundwork.engine.settings.Settings;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.vgbert.VgBertConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;

/**
 * {@link TrainFlags} resolved against a stage's defaults and checked. Every bad value is a
 * {@link ParameterException} naming the flag and what it accepts, so picocli prints it with the usage.
 */
record StageSettings(Stage stage, TrainFlags flags, VgBertConfig config, double lr, int batch, int epochs, int learnable, Device device) {

    static StageSettings resolve(CommandSpec spec, Stage stage, TrainFlags f) {
        double lr = f.learningRate != null ? f.learningRate : stage.lr;
        int batch = f.batchSize != null ? f.batchSize : stage.batch;
        int epochs = f.epochs != null ? f.epochs : stage.epochs;
        double dropout = f.dropout != null ? f.dropout : stage.dropout;
        check(spec, batch > 0, "--batch-size must be a positive integer, got " + batch);
        check(spec, epochs > 0, "--n-epochs must be a positive integer, got " + epochs);
        check(spec, lr > 0 && Double.isFinite(lr), "--learning-rate must be a positive number, got " + lr);
        check(spec, f.sigma > 0 && Double.isFinite(f.sigma), "--sigma must be a positive number, got " + f.sigma);
        check(spec, f.temperature > 0 && Double.isFinite(f.temperature), "--temperature must be a positive number, got " + f.temperature);
        check(spec, dropout >= 0 && dropout < 1, "--dropout-rate must be in [0, 1), got " + dropout);
        check(spec, f.workers >= 0, "--workers must be 0 or more, got " + f.workers);
        check(spec, Files.exists(f.dataTrain), "--data-train: no such file or directory: " + f.dataTrain);
        check(spec, f.dataVal == null || Files.exists(f.dataVal), "--data-val: no such file or directory: " + f.dataVal);
        check(spec, f.loadPretrained == null || Files.isRegularFile(f.loadPretrained), "--load-pretrained: no such file: " + f.loadPretrained);
        check(spec, stage == Stage.VISUAL || Files.isRegularFile(f.vocab), "--vocab: no such file: " + f.vocab + " (a bert-base-uncased vocab.txt)");

        VgBertConfig c = f.preset == TrainFlags.Preset.demo ? VgBertConfig.demo() : VgBertConfig.paper();
        if (f.embeddingDim != null)
            check(spec, f.embeddingDim == c.dim(), "--embedding-dim must be " + c.dim() + " for the " + f.preset + " preset (the BERT width), got " + f.embeddingDim);
        if (f.heads != null) {
            check(spec, f.heads > 0 && c.dim() % f.heads == 0, "--num-heads must be a positive divisor of the embedding dim " + c.dim() + ", got " + f.heads);
            c = c.withHeads(f.heads);
        }
        if (f.subspaceDim != null) {
            check(spec, f.subspaceDim > 0, "--subspace-dim must be a positive integer, got " + f.subspaceDim);
            c = c.withSubspace(f.subspaceDim);
        }
        if (f.relationNum != null) {
            check(spec, f.relationNum >= 2, "--relation-num must be at least 2 (class 0 = none plus one predicate), got " + f.relationNum);
            c = c.withRelations(f.relationNum);
        }
        c = c.withSigma(f.sigma).withTemperature(f.temperature).withDropout(dropout);

        int layers = c.bert().numHiddenLayers();
        int learnable = f.learnableLayers != null ? f.learnableLayers
                : f.preset == TrainFlags.Preset.demo ? stage.learnableDemo : stage.learnablePaper;
        check(spec, learnable >= 0 && learnable <= layers,
                "--base-model-learnable-layers must be between 0 and " + layers + " (the " + f.preset + " BERT's layers), got " + learnable);

        Device device;
        try {
            device = f.device != null ? Device.parse(f.device) : Settings.current().device();
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), f.device != null ? "--device must be cpu, cuda or cuda:N, got '" + f.device + "'" : e.getMessage());
        }
        return new StageSettings(stage, f, c, lr, batch, epochs, learnable, device);
    }

    private static void check(CommandSpec spec, boolean ok, String message) {
        if (!ok) throw new ParameterException(spec.commandLine(), message);
    }
}
