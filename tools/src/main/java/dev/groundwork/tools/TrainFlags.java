package dev.groundwork.tools;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The flags of the original scripts (§8), shared by every {@code gw train} stage. Flags whose default
 * depends on the stage are boxed: null means "the stage's README value" (see {@link Stage}).
 */
final class TrainFlags {
    enum Preset { paper, demo }

    @Option(names = "--data-train", required = true, paramLabel = "FILE",
            description = "training index: COCO_*.json (two-stream, retrieval), VG_*.json (relational), an image-folder root (visual)")
    Path dataTrain;

    @Option(names = "--data-val", paramLabel = "FILE", description = "validation index, same format; without it the best epoch is chosen on training metrics")
    Path dataVal;

    @Option(names = {"--learning-rate", "--lr"}, paramLabel = "LR",
            description = "base learning rate (default: visual 0.01, two-stream 5e-5, relational 1e-5, retrieval 5e-5)")
    Double learningRate;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", description = "images per batch (default: visual 200, two-stream 180, relational 180, retrieval 300)")
    Integer batchSize;

    @Option(names = "--n-epochs", paramLabel = "N", description = "epochs (default: visual 200, two-stream 100, relational 150, retrieval 150)")
    Integer epochs;

    @Option(names = "--sigma", defaultValue = "0.1", paramLabel = "S", description = "temperature of the two-stream contrastive loss (default ${DEFAULT-VALUE}; retrieval keeps 0.1 as the original)")
    double sigma;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T", description = "temperature of the relation losses (default ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--dropout-rate", paramLabel = "P", description = "dropout in [0,1) (default: two-stream 0.3, others 0.1; two-stream BERT is fixed at 0.3)")
    Double dropout;

    @Option(names = "--base-model-learnable-layers", paramLabel = "N",
            description = "top BERT layers left trainable (default: paper preset two-stream 8, relational 2; demo 2 and 1)")
    Integer learnableLayers;

    @Option(names = "--num-heads", paramLabel = "H", description = "cross-attention heads (default: 8 paper, 4 demo)")
    Integer heads;

    @Option(names = "--embedding-dim", paramLabel = "D", description = "embedding dim; must equal the preset's BERT width (768 paper, 64 demo)")
    Integer embeddingDim;

    @Option(names = "--subspace-dim", paramLabel = "S", description = "relational subspace dim (default: 32 paper, 16 demo)")
    Integer subspaceDim;

    @Option(names = "--relation-num", paramLabel = "K", description = "relation classes including 0 = none (default: 115 paper, 5 demo)")
    Integer relationNum;

    @Option(names = "--load-pretrained", paramLabel = "FILE",
            description = "previous stage's weights: best.safetensors or the original's .pth (two-stream: stage 1, relational: stage 2, retrieval: stage 3)")
    Path loadPretrained;

    @Option(names = "--exp-dir", required = true, paramLabel = "DIR", description = "output: checkpoint.safetensors, best.safetensors, metrics.jsonl")
    Path expDir;

    @Option(names = "--resume", description = "continue from EXP-DIR/checkpoint.safetensors")
    boolean resume;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "seed of initialisation, dropout and data order (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--device", paramLabel = "DEV", description = "cpu, cuda or cuda:N (default: $GW_DEVICE, else cpu)")
    String device;

    @Option(names = "--preset", defaultValue = "paper", paramLabel = "NAME", description = "network sizes: paper or demo (default ${DEFAULT-VALUE})")
    Preset preset;

    @Option(names = "--vocab", defaultValue = "../shared/data/bert-base-uncased-vocab.txt", paramLabel = "FILE",
            description = "bert-base-uncased vocab.txt (default ${DEFAULT-VALUE})")
    Path vocab;

    @Option(names = "--train-backbone", description = "two-stream/relational: also train what spec 2.5 freezes because it comes pretrained "
            + "(the VGG convs, BERT's embeddings and the query/key of its learnable layers), for runs from random weights such as the demo")
    boolean trainBackbone;

    @Option(names = "--workers", defaultValue = "1", paramLabel = "N", description = "data-loading threads, 0 = on the training thread (default ${DEFAULT-VALUE})")
    int workers;
}
