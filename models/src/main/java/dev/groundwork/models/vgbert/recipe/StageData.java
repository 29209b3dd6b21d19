package dev.groundwork.models.vgbert.recipe;

import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.data.BadRecords;
import dev.groundwork.models.data.CaptionBatch;
import dev.groundwork.models.data.CaptionItem;
import dev.groundwork.models.data.Dataset;
import dev.groundwork.models.data.LabeledImage;
import dev.groundwork.models.data.RelationItem;
import dev.groundwork.models.data.CaptionPairs;
import dev.groundwork.models.data.Collate;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.DataLoader;
import dev.groundwork.models.data.ImageBatch;
import dev.groundwork.models.data.ImageFolder;
import dev.groundwork.models.data.ImagePipeline;
import dev.groundwork.models.data.RelationBatch;
import dev.groundwork.models.data.VisualGenome;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.train.BatchSource;
import dev.groundwork.models.data.Shard;
import dev.groundwork.models.train.InvalidSettingException;
import dev.groundwork.models.train.LoaderSource;

import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * The one place where the stages meet the data layer: which dataset, which image pipeline (§5.4)
 * and which loader options each stage and split uses. Validation never shuffles, and its captions
 * are fixed to the first one (§9.19's optional fix, so the selection metric is deterministic).
 */
final class StageData {
    private StageData() {}

    /**
     * Stage 2 or the transfer on the original index, COCO's {@code captions_*.json} or Karpathy's split file
     * ({@link CaptionPairs#open}: train + restval for training, val for validation).
     * Stage 2 (Resize 256 → crop, train and val) or transfer (train Resize 224 → crop, val Resize 256 → crop). */
    static BatchSource<CaptionBatch> captions(RunSettings s, BertTokenizer tok, Path json, boolean train, Shard shard) throws DataException {
        int crop = s.config().imageSize();
        boolean wide = s.stage() == Stage.TWO_STREAM || !train;
        ImagePipeline p = ImagePipeline.eval(wide ? ImagePipeline.resizeFor256(crop) : crop, crop);
        Dataset<CaptionItem> ds = screened(s, json, CaptionPairs.open(json, s.imageRoot(), train, tok, p, !train, s.config().captionSlots()), train);
        return source(new DataLoader<>(ds, Collate::captions, options(s, train, shard)), s.device(), StageData::move);
    }

    /** Stage 3: Resize 224 → crop for train and val; O objects, L phrase slots. */
    static BatchSource<RelationBatch> relations(RunSettings s, BertTokenizer tok, Path json, boolean train, Shard shard) throws DataException {
        var c = s.config();
        int crop = c.imageSize();
        Dataset<RelationItem> ds = screened(s, json,
                new VisualGenome(json, tok, ImagePipeline.eval(crop, crop), c.objectClasses(), c.relations(), c.objects(), c.phraseSlots()), train);
        return source(new DataLoader<>(ds, items -> Collate.relations(items, c.objects(), c.phraseSlots()), options(s, train, shard)), s.device(), StageData::move);
    }

    /** Stage 1: RandomResizedCrop + flip for train, Resize 256 → crop for val. */
    static ImageSource images(RunSettings s, Path dir, boolean train, Shard shard) throws DataException {
        int crop = s.config().imageSize();
        ImageFolder folder = new ImageFolder(dir, train ? ImagePipeline.train(crop) : ImagePipeline.eval(ImagePipeline.resizeFor256(crop), crop));
        Dataset<LabeledImage> ds = screened(s, dir, folder, train);
        return new ImageSource(source(new DataLoader<>(ds, Collate::images, options(s, train, shard)), s.device(), StageData::move), folder.classes().size());
    }

    record ImageSource(BatchSource<ImageBatch> source, int classes) {}

    /**
     * drop_last=False and shuffle only for training, as the original (§6.1). A data-parallel rank loads
     * its part of each global batch of s.batchSize() ({@link Shard}); validation runs whole on every rank.
     */
    private static DataLoader.Options options(RunSettings s, boolean train, Shard shard) {
        if (shard.size() > 1 && s.batchSize() % shard.size() != 0)
            throw new InvalidSettingException("batchSize", "is the global batch and must divide evenly over the " + shard.size()
                    + " processes, got " + s.batchSize());
        int batch = shard.size() > 1 ? s.batchSize() / shard.size() : s.batchSize();
        return DataLoader.Options.of(batch, s.seed()).shuffle(train).workers(s.workers()).policy(s.badRecords()).shard(shard);
    }

    /** Every record checked before the first step; the bad ones listed in the experiment folder and handled by the run's policy. */
    private static <T> Dataset<T> screened(RunSettings s, Path index, Dataset<T> ds, boolean train) throws DataException {
        Path list = s.expDir() == null ? null : s.expDir().resolve("bad-records-" + (train ? "train" : "val") + ".txt");
        return BadRecords.screen(ds, index, s.badRecords(), list, line -> { System.err.println(line); System.err.flush(); });
    }

    private static <B> BatchSource<B> source(DataLoader<?, B> loader, Device device, BiFunction<B, Device, B> move) {
        UnaryOperator<B> m = device.equals(Device.CPU) ? UnaryOperator.identity() : b -> move.apply(b, device);
        return new LoaderSource<>(loader, m);
    }

    private static CaptionBatch move(CaptionBatch b, Device d) {
        return new CaptionBatch(b.images().to(d), b.ids().to(d), b.types().to(d), b.mask().to(d), b.nwords(), b.indices());
    }

    private static RelationBatch move(RelationBatch b, Device d) {
        return new RelationBatch(b.images().to(d), b.ids().to(d), b.types().to(d), b.mask().to(d), b.objectMask().to(d),
                b.objectTarget(), b.relationTarget(), b.indices());
    }

    private static ImageBatch move(ImageBatch b, Device d) {
        return new ImageBatch(b.images().to(d), b.labels().to(d), b.indices());
    }
}
