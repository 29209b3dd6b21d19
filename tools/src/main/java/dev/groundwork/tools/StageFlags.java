package dev.groundwork.tools;

import dev.groundwork.models.vgbert.ValidationRecall;
import dev.groundwork.models.vgbert.recipe.RunSettings;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The {@code gw train} flags that only some stages take, one mixin per group, so that each stage's
 * command (and its help) has exactly the flags it uses; a flag of another stage is then an unknown
 * option with picocli's suggestion. Which stage takes which:
 * <pre>
 *                       visual  two-stream  relational  retrieval
 *   --pretrained-vgg      x         x
 *   --bert                          x
 *   --images                        x                       x
 *   --load-pretrained               x           x           x
 *   --sigma                         x
 *   --temperature                               x
 *   language layers                 x           x
 *   relation module                             x           x
 *   --val-recall, --select-by       x                       x
 * </pre>
 */
final class StageFlags {
    private StageFlags() {}

    /** A group of flags that fills its part of the run's settings. */
    interface Group {
        void apply(RunSettings.Builder b);
    }

    /** Stages 1 and 2: torchvision's ImageNet VGG16 under the backbone (§1.1). */
    static final class Vgg implements Group {
        @Option(names = "--pretrained-vgg", paramLabel = "FILE",
                description = "torchvision's ImageNet VGG16 (vgg16-397923af.pth as downloaded, or converted to safetensors) for the VGG convolutions; "
                        + "loaded before --load-pretrained, as the original does (default: random weights)")
        Path file;

        public void apply(RunSettings.Builder b) { b.pretrainedVgg(file); }
    }

    /** Stage 2: the language stream's starting point (§2.1). */
    static final class Bert implements Group {
        @Option(names = "--bert", required = true, paramLabel = "DIR|none",
                description = "the language stream's start: a Hugging Face bert-base-uncased folder (config.json, model.safetensors or "
                        + "pytorch_model.bin, vocab.txt), or 'none' for random weights (required: say which)")
        String source;

        public void apply(RunSettings.Builder b) { b.bert(source); }
    }

    /** Stage 2 and the transfer: where COCO's images are when the captions come as COCO or Karpathy files. */
    static final class CocoImages implements Group {
        @Option(names = "--images", paramLabel = "DIR",
                description = "the COCO folder (holding train2017/, val2017/, or Karpathy's train2014/, val2014/) for captions_*.json or "
                        + "dataset_coco.json (default: the annotation file's folder, or the one above an annotations/ folder)")
        Path root;

        public void apply(RunSettings.Builder b) { b.imageRoot(root); }
    }

    /** Stages 2, 3 and the transfer: the previous stage's weights (§6.3). */
    static final class Handoff implements Group {
        @Option(names = {"--load-pretrained", "--model"}, paramLabel = "FILE",
                description = "the previous stage's weights: its best.safetensors or the original's .pth "
                        + "(two-stream: stage 1, relational: stage 2, retrieval: stage 3)")
        Path file;

        public void apply(RunSettings.Builder b) { b.loadPretrained(file); }
    }

    /** Stage 2's contrastive temperature (§3.3; the transfer keeps its fixed 0.1, §5.1). */
    static final class Sigma implements Group {
        @Option(names = "--sigma", paramLabel = "S", description = "temperature of the two-stream contrastive loss (default 0.1)")
        Double sigma;

        public void apply(RunSettings.Builder b) { b.sigma(sigma); }
    }

    /** Stage 3's relation-loss temperature (§4.5). */
    static final class Temperature implements Group {
        @Option(names = "--temperature", paramLabel = "T", description = "temperature of the relation losses (default 1.0)")
        Double temperature;

        public void apply(RunSettings.Builder b) { b.temperature(temperature); }
    }

    /** Stages 2 and 3: how much of BERT (and of the pretrained backbone) trains (§2.5). */
    static final class Language implements Group {
        @Option(names = "--base-model-learnable-layers", paramLabel = "N",
                description = "top BERT layers left trainable (default: paper preset two-stream 8, relational 2; demo 2 and 1)")
        Integer learnableLayers;

        @Option(names = "--train-backbone", description = "also train what spec 2.5 freezes because it comes pretrained "
                + "(the VGG convs, BERT's embeddings and the query/key of its learnable layers), for runs from random weights such as the demo")
        boolean trainBackbone;

        public void apply(RunSettings.Builder b) { b.learnableLayers(learnableLayers).trainBackbone(trainBackbone); }
    }

    /** Stage 3 and the transfer (which carries stage 3's module): the cross-modal attention and relations (§4). */
    static final class Relations implements Group {
        @Option(names = "--num-heads", paramLabel = "H", description = "cross-attention heads (default: 8 paper, 4 demo)")
        Integer heads;

        @Option(names = "--subspace-dim", paramLabel = "S", description = "relational subspace dim (default: 32 paper, 16 demo)")
        Integer subspaceDim;

        @Option(names = "--relation-num", paramLabel = "K", description = "relation classes including 0 = none (default: 115 paper, 5 demo)")
        Integer relationNum;

        public void apply(RunSettings.Builder b) { b.heads(heads).subspaceDim(subspaceDim).relationNum(relationNum); }
    }

    /** Stage 2 and the transfer: R@K on the validation images each epoch, and which metric picks the best epoch. */
    static final class Recall implements Group {
        @Option(names = "--val-recall", paramLabel = "N",
                description = "rank the first N validation images (each with its validation caption) each epoch: R@1/5/10 both ways "
                        + "and rsum in metrics.jsonl (default " + ValidationRecall.DEFAULT_IMAGES + "; 0: off)")
        Integer images;

        @Option(names = "--select-by", paramLabel = "METRIC",
                description = "the validation metric best.safetensors follows: loss_sum (the default, spec 6.2; lower is better) "
                        + "or i2t_r1, i2t_r5, i2t_r10, t2i_r1, t2i_r5, t2i_r10, rsum (higher is better)")
        String metric;

        public void apply(RunSettings.Builder b) { b.valRecall(images).selectBy(metric); }
    }
}
