package dev.groundwork.models.vgbert;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;
import dev.groundwork.models.checkpoint.WeightLoadException;
import dev.groundwork.models.checkpoint.WeightLoader;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.ImageIo;
import dev.groundwork.models.data.ImagePipeline;
import dev.groundwork.models.data.RgbImage;
import dev.groundwork.models.search.Embedder;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.text.VgBertText;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A trained transfer model as an {@link Embedder} (spec §7.3): image → visual stream → W_K → image
 * head → mean → L2; text → BERT → W_Q → language head → mean over the caption slots (§9.4) → L2.
 * Runs in eval mode (dropout off) without gradients; every call releases its intermediates.
 */
public final class TransferEmbedder implements Embedder {
    private final TransferModel model;
    private final BertTokenizer tokenizer;
    private final Device device;

    public TransferEmbedder(TransferModel model, BertTokenizer tokenizer, Device device) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.device = device;
        model.eval();
        model.to(device);
    }

    /**
     * Loads a transfer checkpoint (ours, safetensors or PyTorch). The configuration is read off the
     * tensors: the paper preset for width 768, the demo preset for width 64, with the relation
     * count K and subspace S of the checkpoint's relational matrix [K,S,S]. Anything else, or any
     * missing, unexpected or mis-shaped tensor, is refused naming the file and the tensors.
     */
    public static TransferEmbedder load(Path checkpoint, BertTokenizer tokenizer, Device device) throws IOException {
        Map<String, Tensor> sd = WeightLoader.read(checkpoint);
        Tensor words = find(sd, "word_embeddings.weight", checkpoint);
        Tensor rel = find(sd, "cross_attention_model.relational_matrix", checkpoint);
        int width = words.size(1);
        VgBertConfig base = switch (width) {
            case 768 -> VgBertConfig.paper();
            case 64 -> VgBertConfig.demo();
            default -> throw new IllegalArgumentException(checkpoint + ": language width " + width
                    + " matches neither the paper (768) nor the demo (64) configuration");
        };
        VgBertConfig c = base.withRelations(rel.size(0)).withSubspace(rel.size(1));
        TransferModel m = new TransferModel(c, new Generator(0));
        try {
            WeightLoader.load(m, sd, true);
        } catch (WeightLoadException e) {
            throw new IllegalArgumentException(checkpoint + " is not a transfer-model checkpoint: " + e.getMessage(), e);
        }
        return new TransferEmbedder(m, tokenizer, device);
    }

    private static Tensor find(Map<String, Tensor> sd, String suffix, Path file) {
        for (var e : sd.entrySet()) if (e.getKey().endsWith(suffix)) return e.getValue();
        throw new IllegalArgumentException(file + ": no tensor named *" + suffix + " (not a VG-BERT transfer checkpoint?)");
    }

    public TransferModel model() { return model; }

    /** The §5.4 evaluation transform for the transfer model: resize to S·256/224, centre-crop S, normalise. */
    public ImagePipeline pipeline() {
        int s = imageSize();
        return ImagePipeline.eval(ImagePipeline.resizeFor256(s), s);
    }

    /** One image file through {@link #pipeline()} as a [3,S,S] tensor. */
    public Tensor imageTensor(Path file) throws DataException {
        RgbImage img = pipeline().apply(ImageIo.read(file), null);
        return Tensor.of(img.data(), 3, img.height(), img.width());
    }

    @Override
    public Tensor embedImages(Tensor images) {
        try (var g = GradMode.noGrad(); TensorScope s = TensorScope.open()) {
            Tensor v = F.normalize(model.embedImages(images.to(device)), 1, 1e-12);
            return s.keep(v.to(Device.CPU));
        }
    }

    @Override
    public Tensor embedText(String text) {
        VgBertText.Caption c = VgBertText.encodeCaption(tokenizer, text, model.config().captionSlots());
        int t = c.ids().length;
        try (var g = GradMode.noGrad(); TensorScope s = TensorScope.open()) {
            Tensor ids = ints(c.ids(), t), types = ints(c.types(), t), mask = ints(c.mask(), t);
            Tensor v = F.normalize(model.embedTexts(ids, types, mask), 1, 1e-12).reshape(model.config().dim());
            return s.keep(v.to(Device.CPU));
        }
    }

    private Tensor ints(int[] a, int t) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) l[i] = a[i];
        return Tensor.ofLongs(l, 1, t).to(device);
    }

    @Override
    public int imageSize() { return model.config().imageSize(); }
}
